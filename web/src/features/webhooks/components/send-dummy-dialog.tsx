import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { eventLabel, type EventType, type TestDeliveryResult, type Webhook } from '@deskflow/shared'
import { ChevronRight, RotateCw } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Modal, ModalFooter } from '@/components/ui/modal'
import { Spinner } from '@/components/ui/spinner'
import { useSendTestDelivery } from '../api/send-test-delivery'
import { Body, Headers } from './http-message'

/** Opens and sends at once: "Send Dummy" means send. */
export function SendDummyDialog({ storeKey, webhook, onClose }: { storeKey: string; webhook: Webhook | null; onClose: () => void }) {
  return (
    <Modal
      open={webhook !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={webhook ? `Send Dummy — ${webhook.url}` : 'Send Dummy'}
      size="lg"
    >
      {/* Mounted only while open: each opening is one fresh send. */}
      {webhook ? <SendDummyContent storeKey={storeKey} webhook={webhook} onClose={onClose} /> : null}
    </Modal>
  )
}

function SendDummyContent({ storeKey, webhook, onClose }: { storeKey: string; webhook: Webhook; onClose: () => void }) {
  const send = useSendTestDelivery(storeKey, webhook.id)
  const [event, setEvent] = useState<EventType>(webhook.events[0]!)
  const pickerId = useId()
  // StrictMode runs effects twice in development; the receiver must still get one request.
  const sent = useRef(false)
  useEffect(() => {
    if (sent.current) return
    sent.current = true
    send.mutate(webhook.events[0]!)
  }, [send, webhook.events])

  return (
    <>
      <div className="modal-body">
        <div className="terminal" aria-busy={send.isPending || undefined}>
          <div className="term-line">
            <span className="term-prompt" aria-hidden>
              ${' '}
            </span>
            POST {webhook.url}
          </div>
          <div className="term-line term-muted">{send.variables ? `${send.variables} sample` : null}</div>
          <div aria-live="polite">
            {send.isPending ? (
              <div className="term-line term-muted term-sending">
                <Spinner size={12} /> Sending…
                <span className="term-muted"> (the receiver has up to 15 s to answer)</span>
              </div>
            ) : send.isError ? (
              <div className="term-line term-error" role="alert">
                {send.error.message}
              </div>
            ) : send.data ? (
              <TestResult result={send.data} />
            ) : null}
          </div>
        </div>
      </div>
      <ModalFooter>
        {webhook.events.length > 1 ? (
          <label className="dummy-event" htmlFor={pickerId}>
            <span>Event</span>
            <select id={pickerId} className="input select" value={event} onChange={(e) => setEvent(e.target.value as EventType)}>
              {webhook.events.map((type) => (
                <option key={type} value={type}>
                  {eventLabel(type)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <Button onClick={onClose}>Close</Button>
        <Button variant="primary" icon={<RotateCw size={16} aria-hidden />} loading={send.isPending} onClick={() => send.mutate(event)}>
          {webhook.events.length > 1 ? 'Send' : 'Send again'}
        </Button>
      </ModalFooter>
    </>
  )
}

function TestResult({ result }: { result: TestDeliveryResult }) {
  const received = result.statusCode !== null
  return (
    <>
      {received ? (
        <div className={result.ok ? 'term-line term-status term-ok' : 'term-line term-status term-error'}>
          HTTP {result.statusCode} · {result.durationMs} ms
        </div>
      ) : null}
      {result.error ? (
        <div className="term-line term-error">
          <span className="term-label">Error:</span> {result.error}
          {received ? null : <span className="term-muted"> · after {result.durationMs} ms</span>}
        </div>
      ) : null}
      {received ? (
        <>
          <TermSection title="Response headers">
            <Headers headers={result.responseHeaders} />
          </TermSection>
          <TermSection title="Response body">
            <Body body={result.responseBody} truncated={result.responseTruncated} />
          </TermSection>
        </>
      ) : null}
      <RequestSection request={result.request} />
    </>
  )
}

export function TermSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="term-section" aria-label={title}>
      <div className="term-heading">{title}</div>
      {children}
    </section>
  )
}

function RequestSection({ request }: { request: TestDeliveryResult['request'] }) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  return (
    <div className="term-section">
      <button type="button" className="term-disclosure" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((on) => !on)}>
        <ChevronRight size={14} aria-hidden className="disclosure-chevron" />
        Request
      </button>
      <div id={panelId} hidden={!open}>
        <div className="term-line">POST {request.url}</div>
        <TermSection title="Request headers">
          <Headers headers={request.headers} />
        </TermSection>
        <TermSection title="Request body">
          <Body body={request.body} />
        </TermSection>
      </div>
    </div>
  )
}
