// The baselines of figures 1 and 9: the least a Fastify + pg server must do to answer
// GET /v1/products?limit=20 — the same SELECT the product runs (as drizzle generates
// it), the same JSON shape with a response schema — and POST /v1/customers — the
// customer's insert and its event's row in one transaction, the same answer. No auth,
// no hooks, no logging.
// Env: DATABASE_URL, STORE_ID, PORT. Prints "listening <url>" when ready.
import { randomBytes } from 'node:crypto'
import { importFromServer } from './lib/server-deps.mjs'

const Fastify = await importFromServer('fastify')
const pg = await importFromServer('pg')

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
pool.on('error', () => {})
const storeId = process.env.STORE_ID

// The text of the product's prepared list statement (server/src/features/catalog/scoped-repo.ts):
// every column, store scoped, after a cursor and since a time (here the bounds every row
// passes, as for a first page without updated_since), by id, limit + 1.
const SQL =
  'select "id", "store_id", "category_id", "name", "description", "sku", "price", "currency", "stock", "active", "created_at", "updated_at" ' +
  'from "products" where ("products"."store_id" = $1 and "products"."id" > $2 and "products"."updated_at" >= $3) ' +
  'order by "products"."id" asc limit $4'
const EPOCH = new Date(0).toISOString()

const nullable = (type) => ({ type: [type, 'null'] })
const Product = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: nullable('string'),
    sku: nullable('string'),
    price: { type: 'integer' },
    currency: { type: 'string' },
    stock: nullable('integer'),
    categoryId: nullable('string'),
    active: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
}

const app = Fastify()
app.get(
  '/v1/products',
  {
    schema: {
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
      response: { 200: { type: 'object', properties: { data: { type: 'array', items: Product }, nextCursor: nullable('string') } } },
    },
  },
  async (request) => {
    const limit = request.query.limit
    const { rows } = await pool.query(SQL, [storeId, '', EPOCH, limit + 1])
    const page = rows.slice(0, limit)
    const data = page.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      sku: r.sku,
      price: Number(r.price),
      currency: r.currency,
      stock: r.stock,
      categoryId: r.category_id,
      active: r.active,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }))
    const last = page.at(-1)
    return { data, nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null }
  },
)

const Customer = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    phone: nullable('string'),
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
}
const text = (maxLength) => ({ type: 'string', minLength: 1, maxLength })
const randomId = (prefix) => `${prefix}_${randomBytes(12).toString('base64url')}`

app.post(
  '/v1/customers',
  {
    schema: {
      body: {
        type: 'object',
        required: ['email', 'firstName', 'lastName'],
        additionalProperties: false,
        properties: { email: text(254), firstName: text(100), lastName: text(100), phone: nullable('string') },
      },
      response: { 201: Customer },
    },
  },
  async (request, reply) => {
    const { email, firstName, lastName, phone = null } = request.body
    const client = await pool.connect()
    try {
      await client.query('begin')
      const { rows } = await client.query(
        'insert into customers (id, store_id, email, first_name, last_name, phone) values ($1, $2, $3, $4, $5, $6) returning *',
        [randomId('cus'), storeId, email.toLowerCase(), firstName, lastName, phone],
      )
      const r = rows[0]
      const customer = {
        id: r.id,
        email: r.email,
        firstName: r.first_name,
        lastName: r.last_name,
        phone: r.phone,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      }
      await client.query('insert into events (id, store_id, type, data) values ($1, $2, $3, $4)', [
        randomId('evt'),
        storeId,
        'customer.created',
        JSON.stringify(customer),
      ])
      await client.query('commit')
      return reply.code(201).send(customer)
    } catch (err) {
      await client.query('rollback')
      throw err
    } finally {
      client.release()
    }
  },
)

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) || 0 })
process.stdout.write(`listening ${address}\n`)
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close()
    await pool.end()
    process.exit(0)
  })
}
