import { describe, expect, it } from 'vitest'
import type { CreateCustomerBody } from '@deskflow/shared'
import type { Container } from '../src/container'
import type { IntegratorServices } from '../src/features/integrator/routes'

type Catalog = Container['catalog']
type Orders = Container['orders']

// Checked by the compiler (`pnpm -r typecheck`): each `@ts-expect-error` must stay an error.
describe('the services handed to the integrator routes', () => {
  it("must each take their own resource's bodies and give its items", () => {
    const fromContainer = (catalog: Catalog, orders: Orders): IntegratorServices => ({ ...catalog, orders })

    // @ts-expect-error the products service cannot serve customers
    const swapped = (catalog: Catalog, orders: Orders): IntegratorServices => ({ ...catalog, customers: catalog.products, orders })

    const otherBody = (catalog: Catalog, orders: Orders): IntegratorServices => ({
      ...catalog,
      orders: {
        ...orders,
        // @ts-expect-error an order service whose create takes a customer's body
        create: async (storeId: string, body: CreateCustomerBody) => {
          throw new Error(`${storeId} ${body.email}`)
        },
      },
    })

    // @ts-expect-error every resource of the registry needs its service
    const missing = (catalog: Catalog): IntegratorServices => ({ ...catalog })

    expect([fromContainer, swapped, otherBody, missing]).toHaveLength(4)
  })
})
