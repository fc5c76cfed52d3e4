import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { UsageBucket } from '@deskflow/shared'
import { formatDateTime } from '@/lib/format'
import { bucketTotal, OUTCOMES } from './usage-outcomes'

const HEIGHT = 220
const HALF_HOUR = 1800
// uPlot paints series in order, so the tallest stack (all outcomes) goes first and each lower layer over it.
const LAYERS = [...OUTCOMES].reverse()

/** [hours in seconds, then the running sum up to each outcome, top layer first]. */
function stackedData(series: UsageBucket[]): uPlot.AlignedData {
  const xs = series.map((bucket) => new Date(bucket.hour).getTime() / 1000)
  const layers = LAYERS.map((_, layer) =>
    series.map((bucket) => OUTCOMES.slice(0, OUTCOMES.length - layer).reduce((sum, { key }) => sum + bucket[key], 0)),
  )
  return [xs, ...layers]
}

function tooltipPlugin(getSeries: () => UsageBucket[]): uPlot.Plugin {
  let box: HTMLDivElement
  return {
    hooks: {
      init: (u) => {
        box = document.createElement('div')
        box.className = 'chart-tooltip'
        box.hidden = true
        u.over.appendChild(box)
      },
      setCursor: (u) => {
        const idx = u.cursor.idx
        const bucket = idx == null ? undefined : getSeries()[idx]
        if (!bucket || bucketTotal(bucket) === 0 || u.cursor.left == null || u.cursor.left < 0) {
          box.hidden = true
          return
        }
        box.replaceChildren()
        const title = document.createElement('strong')
        title.textContent = formatDateTime(bucket.hour)
        box.appendChild(title)
        for (const { key, label, color } of OUTCOMES) {
          if (bucket[key] === 0) continue
          const row = document.createElement('div')
          const swatch = document.createElement('span')
          swatch.className = 'swatch'
          swatch.style.background = color
          row.append(swatch, `${label}: ${bucket[key].toLocaleString('en')}`)
          box.appendChild(row)
        }
        box.hidden = false
        const left = u.cursor.left
        const flip = left > u.over.clientWidth / 2
        box.style.left = flip ? '' : `${left + 12}px`
        box.style.right = flip ? `${u.over.clientWidth - left + 12}px` : ''
        box.style.top = '8px'
      },
    },
  }
}

/** Stacked hourly bars by outcome. Loaded on demand (uPlot stays out of the first page's JavaScript). */
export default function UsageChart({ series }: { series: UsageBucket[] }) {
  const container = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const latest = useRef(series)

  useEffect(() => {
    const el = container.current
    if (!el) return
    const bars = uPlot.paths.bars!({ size: [0.8, 24, 1], align: 0 })
    const options: uPlot.Options = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      legend: { show: false },
      cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
      plugins: [tooltipPlugin(() => latest.current)],
      scales: {
        // Half an hour either side so the first and last bars are not cut in half.
        x: { time: true, range: (_u, min, max) => [min - HALF_HOUR, max + HALF_HOUR] },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
      },
      axes: [
        { stroke: '#667085', grid: { show: false }, ticks: { stroke: '#e4e7ec' } },
        {
          stroke: '#667085',
          grid: { stroke: '#eaecf0' },
          ticks: { show: false },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000],
          size: 48,
        },
      ],
      series: [
        {},
        ...LAYERS.map(({ label, color }) => ({ label, fill: color, stroke: color, width: 0, paths: bars, points: { show: false } })),
      ],
    }
    const u = new uPlot(options, stackedData(latest.current), el)
    plot.current = u
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: HEIGHT }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      u.destroy()
      plot.current = null
    }
  }, [])

  useEffect(() => {
    latest.current = series
    plot.current?.setData(stackedData(series))
  }, [series])

  return <div ref={container} className="usage-chart-canvas" />
}
