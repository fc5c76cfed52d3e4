import type { EventType } from '@deskflow/shared'

const now = () => new Date().toISOString()

/** Realistic "Send Dummy" data for each event: the shape a real delivery carries. */
export function sampleData(event: EventType): Record<string, unknown> {
  const [resource] = event.split('.') as [string]
  const at = now()
  switch (resource) {
    case 'order':
      return {
        id: 'ord_sample000000000000000',
        number: 1042,
        customerId: 'cus_sample000000000000000',
        status: event === 'order.created' ? 'pending' : 'paid',
        currency: 'USD',
        lineItems: [
          { productId: 'prod_sample00000000000001', name: 'Ethiopia Yirgacheffe 250 g', sku: 'COF-ETH-250', quantity: 2, unitPrice: 1450, total: 2900 },
          { productId: 'prod_sample00000000000002', name: 'Pour-over dripper', sku: 'GEAR-DRIP', quantity: 1, unitPrice: 2400, total: 2400 },
        ],
        subtotal: 5300,
        total: 5300,
        note: 'Sample order sent with Send Dummy',
        createdAt: at,
        updatedAt: at,
      }
    case 'customer':
      return { id: 'cus_sample000000000000000', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: null, createdAt: at, updatedAt: at }
    case 'product':
      return {
        id: 'prod_sample00000000000001', name: 'Ethiopia Yirgacheffe 250 g', description: 'Floral, citrus, black tea.', sku: 'COF-ETH-250',
        price: 1450, currency: 'USD', stock: 38, categoryId: 'cat_sample000000000000000', active: true, createdAt: at, updatedAt: at,
      }
    default:
      return { id: 'cat_sample000000000000000', name: 'Coffee', description: 'Whole beans and ground coffee', createdAt: at, updatedAt: at }
  }
}
