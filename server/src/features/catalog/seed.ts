import type { Tx } from '../../db'
import { categories, customers, products } from '../../db/schema'
import { newSortableId } from '../../lib/ids'

/** A few demo rows, so a newcomer's first `curl /v1/products` returns something. */
export async function seedDemoCatalog(tx: Tx, storeId: string): Promise<void> {
  const coffee = newSortableId('cat')
  const tea = newSortableId('cat')
  const gear = newSortableId('cat')
  await tx.insert(categories).values([
    { id: coffee, storeId, name: 'Coffee', description: 'Whole beans and ground coffee' },
    { id: tea, storeId, name: 'Tea', description: 'Loose-leaf teas' },
    { id: gear, storeId, name: 'Brewing gear', description: null },
  ])
  await tx.insert(products).values([
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: coffee,
      name: 'Ethiopia Yirgacheffe 250 g',
      sku: 'COF-ETH-250',
      price: 1450,
      currency: 'USD',
      stock: 40,
    },
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: coffee,
      name: 'Colombia Huila 1 kg',
      sku: 'COF-COL-1K',
      price: 3900,
      currency: 'USD',
      stock: 12,
    },
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: tea,
      name: 'Sencha 100 g',
      sku: 'TEA-SEN-100',
      price: 990,
      currency: 'USD',
      stock: 25,
    },
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: tea,
      name: 'Earl Grey 100 g',
      sku: 'TEA-EGR-100',
      price: 850,
      currency: 'USD',
      stock: null,
    },
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: gear,
      name: 'Pour-over dripper',
      sku: 'GEAR-DRIP',
      price: 2400,
      currency: 'USD',
      stock: 8,
    },
    {
      id: newSortableId('prod'),
      storeId,
      categoryId: gear,
      name: 'Gooseneck kettle',
      sku: 'GEAR-KETTLE',
      price: 5900,
      currency: 'USD',
      stock: 5,
    },
  ])
  await tx.insert(customers).values([
    { id: newSortableId('cus'), storeId, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: null },
    { id: newSortableId('cus'), storeId, email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', phone: '+1 555 0100' },
    { id: newSortableId('cus'), storeId, email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', phone: null },
  ])
}
