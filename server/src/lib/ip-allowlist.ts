import ipaddr from 'ipaddr.js'

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** `203.0.113.7` → `203.0.113.7/32`; IPv6 in its short form (`::1/128`); anything else is null. */
export function normalizeCidr(entry: string): string | null {
  const text = entry.trim()
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text)
      return `${addr.toString()}/${bits}`
    }
    const addr = ipaddr.parse(text)
    return `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`
  } catch {
    return null
  }
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is matched as the IPv4 address it carries. */
function parseClient(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    return ipaddr.process(ip)
  } catch {
    return null
  }
}

export function ipAllowed(ip: string, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true
  const client = parseClient(ip)
  if (!client) return false
  return allowlist.some((cidr) => {
    const range = ipaddr.parseCIDR(cidr) as Range
    return client.kind() === range[0].kind() && client.match(range)
  })
}
