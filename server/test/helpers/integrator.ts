/** The Authorization header of an integrator call (HTTP Basic: the key and its secret). */
export const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`
