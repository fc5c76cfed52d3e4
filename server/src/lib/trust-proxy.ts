import ipaddr from 'ipaddr.js'

/** Off, the number of proxies in front of the server, or the proxies' addresses and ranges. */
export type TrustProxy = false | number | string[]

/** The ranges @fastify/proxy-addr knows by name. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal']

const CHOICES =
  'use false (no proxy), the number of proxies in front of the server (e.g. 1 for one nginx), ' +
  "or the proxies' addresses and CIDR ranges, comma-separated (e.g. 10.0.0.5,192.168.10.0/24,2001:db8::/64)"

/** Why `entry` is not a proxy address or range, or null when it is one. */
function entryProblem(entry: string): string | null {
  if (NAMED_RANGES.includes(entry)) return null
  const slash = entry.lastIndexOf('/')
  const address = slash === -1 ? entry : entry.slice(0, slash)
  // Only dotted-quad IPv4: ipaddr.js also reads `127.1` or `0x7f.0.0.1`, which nobody means here.
  const isV4 = ipaddr.IPv4.isValidFourPartDecimal(address)
  if (!isV4 && !ipaddr.IPv6.isValid(address)) return `"${entry}" is not an IP address or CIDR range`
  if (slash === -1) return null
  const bits = entry.slice(slash + 1)
  const max = isV4 ? 32 : 128
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}" has a bad prefix length (1 to ${max})`
  if (Number(bits) === 0) return `"${entry}" would trust every address, so any client could choose its own`
  return null
}

/** Parses the TRUST_PROXY variable; `problem` starts with the variable's name. */
export function parseTrustProxy(text: string): { value: TrustProxy } | { problem: string } {
  const value = text.trim()
  const lower = value.toLowerCase()
  if (lower === 'false' || value === '0') return { value: false }
  if (lower === 'true') {
    return {
      problem: `TRUST_PROXY=true is not accepted because it would trust every X-Forwarded-For hop, letting clients choose their own address: ${CHOICES}`,
    }
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (!Number.isSafeInteger(hops)) return { problem: `TRUST_PROXY hop count "${value}" is too large` }
    return { value: hops }
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
  if (entries.length === 0) return { problem: `TRUST_PROXY "${value}" names no proxy; ${CHOICES}` }
  const problems = entries.map(entryProblem).filter((p): p is string => p !== null)
  if (problems.length > 0) return { problem: `TRUST_PROXY: ${problems.join('; ')}; ${CHOICES}` }
  return { value: entries }
}

/** Whether requests arrive through a proxy the server trusts (then the session cookie is Secure). */
export function behindProxy(trust: TrustProxy): boolean {
  return trust !== false
}

/** Fastify's `trustProxy` option for a parsed TRUST_PROXY. */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust
  // Fastify 5 trusts nothing when given a number, because a count cannot check who the peer is.
  // The count is the operator's statement that the server is reachable only through that many
  // proxies, so the addresses they appended are trusted and the client's own entries are not.
  return (_address, hop) => hop < trust
}
