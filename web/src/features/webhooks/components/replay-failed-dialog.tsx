import { useId, useState, type FormEvent } from 'react'
import type { Webhook } from '@deskflow/shared'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Field } from '@/components/ui/field'
import { Modal, ModalBody, ModalFooter } from '@/components/ui/modal'
import { fromLocalInput, toLocalInput } from '@/lib/datetime-local'
import { useReplayDeliveries } from '../api/replay-deliveries'
import { plural } from './webhook-status'

const DAY_MS = 24 * 3600_000

export function queuedMessage(queued: number): string {
  return `Queued ${plural(queued, 'delivery', 'deliveries')}`
}

export function validateSince(value: string, now = Date.now()): string | undefined {
  const iso = value ? fromLocalInput(value) : null
  if (!iso) return 'Enter a date and time.'
  if (new Date(iso).getTime() > now) return 'Choose a time in the past.'
  return undefined
}

export function ReplayFailedDialog({
  storeKey,
  webhook,
  open,
  onOpenChange,
}: {
  storeKey: string
  webhook: Webhook
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const replay = useReplayDeliveries(storeKey, webhook.id)
  function close(next: boolean) {
    if (next || replay.isPending) return
    replay.reset()
    onOpenChange(false)
  }
  return (
    <Modal
      open={open}
      onOpenChange={close}
      size="sm"
      title="Replay failed deliveries"
      description="Deliveries that failed after every retry are sent again, with their original webhook-id, so your endpoint can skip any it already handled."
    >
      {/* Mounted only while open, so each opening starts from "24 hours ago". */}
      <ReplayForm
        pending={replay.isPending}
        error={replay.error?.message}
        onCancel={() => close(false)}
        onEdit={() => replay.isError && replay.reset()}
        onSubmit={(since) =>
          replay.mutate(
            { since, include: ['failed'] },
            {
              onSuccess: ({ queued }) => {
                toast.success(queuedMessage(queued))
                replay.reset()
                onOpenChange(false)
              },
            },
          )
        }
      />
    </Modal>
  )
}

interface ReplayFormProps {
  pending: boolean
  error: string | undefined
  onSubmit: (since: string) => void
  onCancel: () => void
  onEdit: () => void
}

function ReplayForm({ pending, error, onSubmit, onCancel, onEdit }: ReplayFormProps) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - DAY_MS).toISOString()))
  const [sinceError, setSinceError] = useState<string | undefined>()
  const formId = useId()

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const problem = validateSince(since)
    setSinceError(problem)
    const iso = fromLocalInput(since)
    if (!problem && iso) onSubmit(iso)
  }

  return (
    <>
      <ModalBody>
        <form id={formId} className="stack" onSubmit={submit} noValidate>
          <Field
            label="Failed since"
            name="since"
            type="datetime-local"
            required
            value={since}
            max={toLocalInput(new Date().toISOString())}
            onChange={(e) => {
              setSince(e.target.value)
              if (sinceError) setSinceError(validateSince(e.target.value))
              onEdit()
            }}
            error={sinceError}
            hint="Deliveries created at or after this time, in your time zone."
          />
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      </ModalBody>
      <ModalFooter>
        <Button onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" form={formId} variant="primary" loading={pending}>
          Replay
        </Button>
      </ModalFooter>
    </>
  )
}
