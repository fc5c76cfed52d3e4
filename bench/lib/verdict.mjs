import { round } from './stats.mjs'

/**
 * A figure's result. `target` is { op: '>=' | '<=' | '==', value, unit }. The margin is
 * relative to the target ("met by 23%", "missed by 40%"), or absolute when the target is 0.
 */
export function figure({ id, name, value, unit, baseline = null, ratio = null, target, details = {}, note }) {
  let met = null
  let margin = 'n/a'
  if (target && Number.isFinite(value)) {
    const { op, value: t } = target
    met = op === '>=' ? value >= t : op === '<=' ? value <= t : value === t
    if (t === 0) margin = met ? 'met' : `missed by ${round(value, 2)} ${unit}`
    else {
      const rel = op === '>=' ? value / t - 1 : 1 - value / t
      margin = `${met ? 'met' : 'missed'} by ${round(Math.abs(rel) * 100, 0)}%`
    }
  } else if (target) {
    margin = 'not measured'
  }
  return { id, name, value, unit, baseline, ratio, target, met, margin, details, ...(note && { note }) }
}

const fmt = (v, unit) =>
  v === null || v === undefined ? '—' : `${typeof v === 'number' ? round(v, v >= 100 ? 0 : 2) : v}${unit ? ` ${unit}` : ''}`

export function printTable(figures) {
  const rows = [['#', 'figure', 'result', 'baseline (same run)', 'ratio', 'target', 'verdict']]
  for (const f of figures) {
    rows.push([
      String(f.id),
      f.name,
      fmt(f.value, f.unit),
      f.baseline ? `${fmt(f.baseline.value, f.baseline.unit)} (${f.baseline.label})` : '—',
      f.ratio === null || f.ratio === undefined ? '—' : String(round(f.ratio, 3)),
      f.target ? `${f.target.op} ${f.target.value} ${f.target.unit ?? ''}`.trim() : '—',
      f.met === null ? f.margin : `${f.met ? 'MET' : 'MISSED'} (${f.margin.replace(/^(met|missed) /, '')})`,
    ])
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  const line = (r) => r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)]
  return out.join('\n')
}

/** The same table in Markdown, for docs/performance.md. */
export function markdownTable(figures) {
  const lines = ['| # | figure | result | baseline (same run) | ratio | target | verdict |', '|---|---|---|---|---|---|---|']
  for (const f of figures) {
    lines.push(
      `| ${f.id} | ${f.name} | ${fmt(f.value, f.unit)} | ${f.baseline ? `${fmt(f.baseline.value, f.baseline.unit)} (${f.baseline.label})` : '—'} | ${
        f.ratio === null || f.ratio === undefined ? '—' : round(f.ratio, 3)
      } | ${f.target ? `${f.target.op} ${f.target.value} ${f.target.unit ?? ''}`.trim() : '—'} | ${f.met === null ? f.margin : `${f.met ? '**met**' : '**missed**'} (${f.margin.replace(/^(met|missed) /, '')})`} |`,
    )
  }
  return lines.join('\n')
}
