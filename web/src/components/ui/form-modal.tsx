import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { UseMutationResult } from '@tanstack/react-query'
import { toast } from 'sonner'
import { Button } from './button'
import { focusFirstInvalid } from './focus-invalid'
import { Modal, ModalBody, ModalFooter } from './modal'

export interface FormModalProps {
  open: boolean
  /** Cancel, × and Escape; ignored while the save runs. */
  onClose: () => void
  title: string
  description?: ReactNode
  /** The form's id: the footer's Save button submits it. */
  formId: string
  pending: boolean
  /** The last failed save. The form shows field errors at their fields; this modal brings the first into view. */
  error: unknown
  /** What of `error` belongs to no field (network, 5xx): shown beside the buttons, never scrolled away. */
  formError: string | undefined
  /** The form, and anything below it. */
  children: ReactNode
}

/** A form in a dialog with Cancel and Save below it. */
export function FormModal({ open, onClose, title, description, children, ...form }: FormModalProps) {
  return (
    <Modal open={open} onOpenChange={(next) => (next || form.pending ? undefined : onClose())} title={title} description={description}>
      <FormContent onClose={onClose} {...form}>
        {children}
      </FormContent>
    </Modal>
  )
}

function FormContent({ formId, pending, error, formError, onClose, children }: Omit<FormModalProps, 'open' | 'title' | 'description'>) {
  // After a rejected save, bring the first field the server complained about into view, focused.
  useEffect(() => {
    if (error) focusFirstInvalid(document.getElementById(formId))
  }, [error, formId])

  return (
    <>
      <ModalBody>{children}</ModalBody>
      <ModalFooter error={formError}>
        <Button onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" form={formId} variant="primary" loading={pending}>
          Save
        </Button>
      </ModalFooter>
    </>
  )
}

/** What a form shows of its save: busy while it runs, the last error, and an edit clears that error. */
export function saveState(mutation: Pick<UseMutationResult<unknown, Error, never>, 'isPending' | 'error' | 'isError' | 'reset'>) {
  return {
    pending: mutation.isPending,
    error: mutation.error,
    onEdit: () => {
      if (mutation.isError) mutation.reset()
    },
  }
}

/** A create dialog opened from a store's page. */
export interface CreateModalProps {
  storeKey: string
  open: boolean
  onOpenChange: (open: boolean) => void
}

/** The view shown once, after a create: what was made and the secret to copy now. */
export interface CreatedView {
  icon: ReactNode
  heading: string
  summary: ReactNode
  /** The credential fields, their notes and the warning. */
  credentials: ReactNode
}

export interface CreateFormModalProps<TBody, TCreated> {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  /** Shown above the form only: the created view speaks for itself. */
  description: ReactNode
  formId: string
  mutation: UseMutationResult<TCreated, Error, TBody>
  /** The toast after a successful create, e.g. "API key created". */
  createdToast: string
  formError: (error: unknown) => string | undefined
  /** Renders the form; `submit` sends the body and, on success, switches to the created view. */
  form: (submit: (body: TBody) => void) => ReactNode
  created: (result: TCreated) => CreatedView
}

/** Create in two steps: the form, then "copy your secret now" with a Done button. */
export function CreateFormModal<TBody, TCreated>({
  open,
  onOpenChange,
  title,
  description,
  formId,
  mutation,
  createdToast,
  formError,
  form,
  created,
}: CreateFormModalProps<TBody, TCreated>) {
  const [result, setResult] = useState<TCreated | null>(null)

  function close() {
    if (mutation.isPending) return
    onOpenChange(false)
    setResult(null)
    mutation.reset()
  }

  function submit(body: TBody) {
    mutation.mutate(body, {
      onSuccess: (value) => {
        setResult(value)
        toast.success(createdToast)
      },
    })
  }

  return (
    <Modal
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title={title}
      description={result === null ? description : undefined}
    >
      {result === null ? (
        <FormContent
          formId={formId}
          pending={mutation.isPending}
          error={mutation.error}
          formError={formError(mutation.error)}
          onClose={close}
        >
          {form(submit)}
        </FormContent>
      ) : (
        <>
          <CreatedBody view={created(result)} />
          <ModalFooter>
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </ModalFooter>
        </>
      )}
    </Modal>
  )
}

function CreatedBody({ view }: { view: CreatedView }) {
  const heading = useRef<HTMLHeadingElement>(null)
  // The Save button that had focus is gone: start reading at the news, not at <body>.
  useEffect(() => heading.current?.focus(), [])
  return (
    <ModalBody>
      <div className="stack">
        <div className="success-head">
          <span className="success-icon">{view.icon}</span>
          <div>
            <h3 className="section-title" ref={heading} tabIndex={-1}>
              {view.heading}
            </h3>
            <p className="muted">{view.summary}</p>
          </div>
        </div>
        {view.credentials}
      </div>
    </ModalBody>
  )
}

export interface EditFormModalProps<TItem extends { id: string }, TBody extends object> {
  /** What is being edited; null while closed. */
  item: TItem | null
  onClose: () => void
  title: string
  formId: string
  mutation: UseMutationResult<unknown, Error, { id: string; body: TBody }>
  /** The toast after a successful save, e.g. "API key updated". */
  updatedToast: string
  formError: (error: unknown) => string | undefined
  /** Renders the form for `item`; `submit` takes only the changed fields and closes after the save. */
  form: (item: TItem, submit: (body: TBody) => void) => ReactNode
  /** Below the form, e.g. actions that take effect at once. */
  children?: (item: TItem) => ReactNode
}

/** Edit in a dialog: sends only what changed (nothing at all when nothing did), then closes. */
export function EditFormModal<TItem extends { id: string }, TBody extends object>({
  item,
  onClose,
  title,
  formId,
  mutation,
  updatedToast,
  formError,
  form,
  children,
}: EditFormModalProps<TItem, TBody>) {
  function close() {
    if (mutation.isPending) return
    mutation.reset()
    onClose()
  }

  function submit(id: string, body: TBody) {
    if (Object.keys(body).length === 0) {
      toast('No changes to save')
      onClose()
      return
    }
    mutation.mutate(
      { id, body },
      {
        onSuccess: () => {
          toast.success(updatedToast)
          mutation.reset()
          onClose()
        },
      },
    )
  }

  return (
    <FormModal
      open={item !== null}
      onClose={close}
      title={title}
      formId={formId}
      pending={mutation.isPending}
      error={mutation.error}
      formError={formError(mutation.error)}
    >
      {item ? (
        <>
          {form(item, (body) => submit(item.id, body))}
          {children?.(item)}
        </>
      ) : null}
    </FormModal>
  )
}
