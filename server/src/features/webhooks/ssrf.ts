import { lookup } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'

/**
 * Whether an address may receive webhooks: only public unicast. Refused: private,
 * loopback, link-local (and so cloud metadata at 169.254.169.254), CGNAT, unique-local,
 * multicast, reserved, unspecified, and IPv6 forms that embed an IPv4 address.
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries.
 */
export function addressProblem(ip: string): string | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  try {
    addr = ipaddr.process(ip)
  } catch {
    return 'is not an IP address'
  }
  const range = addr.range()
  // ::a.b.c.d (IPv4-compatible, deprecated): ipaddr.js calls it unicast, but it carries an IPv4 address.
  if (addr.kind() === 'ipv6' && range === 'unicast' && (addr as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    return 'an IPv4-compatible IPv6 address'
  }
  if (range === 'unicast') return null
  const names: Record<string, string> = {
    private: 'a private network address',
    loopback: 'a loopback address',
    linkLocal: 'a link-local address (cloud metadata lives here)',
    carrierGradeNat: 'a carrier-grade NAT address',
    uniqueLocal: 'a unique-local IPv6 address',
    unspecified: 'an unspecified address',
    multicast: 'a multicast address',
    broadcast: 'a broadcast address',
  }
  return names[range] ?? `a reserved address (${range})`
}

const BLOCKED_NAMES = [/^localhost$/i, /\.localhost$/i, /^metadata\.google\.internal$/i, /\.internal$/i, /\.local$/i]

export interface UrlPolicy {
  allowHttp: boolean
  allowPrivate: boolean
}

/** The URL as given, checked for shape, scheme and (for IP literals and known names) address. */
export function checkUrlSyntax(raw: string, policy: UrlPolicy): { url: URL } | { problem: string } {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return { problem: 'must be an absolute URL, such as https://your-server.com/webhook' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must start with https://' }
  if (url.protocol === 'http:' && !policy.allowHttp) return { problem: 'must use https (plain http is not allowed by this server)' }
  if (url.username || url.password) return { problem: 'must not contain a user name or password' }
  if (!url.hostname) return { problem: 'must name a host' }
  if (url.port === '0') return { problem: 'must not use port 0' }
  url.hash = ''
  if (policy.allowPrivate) return { url }
  // `localhost.` is `localhost`: a trailing dot must not slip past the name list.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '')
  // WHATWG parsing already turned decimal, octal and hex IPv4 spellings into dotted form.
  if (ipaddr.isValid(host)) {
    const problem = addressProblem(host)
    return problem ? { problem: `points to ${problem}, which webhooks may not reach` } : { url }
  }
  if (BLOCKED_NAMES.some((re) => re.test(host))) return { problem: 'points to an internal host name, which webhooks may not reach' }
  return { url }
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError'
  readonly code = 'EBLOCKED'
}

/**
 * Resolves a host and refuses it when any address is not public. Used at save time
 * and, through the HTTP agent's lookup, at connect time (so DNS rebinding between
 * the two does not help).
 */
export async function resolvePublic(hostname: string, allowPrivate: boolean): Promise<Array<{ address: string; family: number }>> {
  const host = hostname.replace(/^\[|\]$/g, '')
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await lookup(host, { all: true, verbatim: true })
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const problem = addressProblem(address)
      if (problem) throw new BlockedAddressError(`${hostname} resolves to ${address}, ${problem}, which webhooks may not reach`)
    }
  }
  return addresses
}
