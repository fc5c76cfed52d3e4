import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import type { Webhook } from '@deskflow/shared'
import { renderApp, waitForWebhooks } from '@/testing/render-app'
import { json, makeWebhook, stubFetch, webhookStoreRoutes } from '@/testing/fetch-stub'

const HOOK = makeWebhook({ id: 'wh_del1', url: 'https://erp.example.com/hooks' })
const OTHER = makeWebhook({ id: 'wh_keep1', url: 'https://crm.example.com/hooks' })

describe('Deleting a webhook from the list', () => {
  it('asks for confirmation naming the URL and calls DELETE only after "Delete"', async () => {
    let list: Webhook[] = [HOOK, OTHER]
    const stub = stubFetch({
      ...webhookStoreRoutes(() => json(200, { data: list })),
      'DELETE /stores/demo/webhooks/wh_del1': () => {
        list = [OTHER]
        return json(204)
      },
    })
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    await user.click(screen.getByRole('button', { name: `Delete ${HOOK.url}` }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete webhook?' })
    expect(dialog).toHaveTextContent(`${HOOK.url} stops receiving events immediately`)
    expect(stub.callsTo('DELETE', '/stores/demo/webhooks/wh_del1')).toHaveLength(0)

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    expect(await screen.findByText('Webhook deleted')).toBeInTheDocument()
    expect(stub.callsTo('DELETE', '/stores/demo/webhooks/wh_del1')).toHaveLength(1)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.queryByRole('link', { name: HOOK.url })).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: OTHER.url })).toBeInTheDocument()
  })

  it('"Cancel" keeps the webhook and sends nothing', async () => {
    const stub = stubFetch(webhookStoreRoutes(() => json(200, { data: [HOOK] })))
    const { user } = renderApp('/store/demo/settings/webhooks')
    await waitForWebhooks()

    await user.click(screen.getByRole('button', { name: `Delete ${HOOK.url}` }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete webhook?' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(stub.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0)
    expect(screen.getByRole('link', { name: HOOK.url })).toBeInTheDocument()
  })
})
