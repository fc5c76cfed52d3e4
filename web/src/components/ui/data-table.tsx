import type { ReactNode } from 'react'

export interface DataTableProps {
  /** The table's accessible name, e.g. "API keys". */
  caption: string
  /** Header cells, left to right; an "Actions" column is added at the end. */
  columns: readonly string[]
  /** Sets the column layout, and the stacked layout on small screens. */
  className: string
  /** The `<tr>`s. */
  children: ReactNode
  /** False when the rows have no actions for this admin: no empty "Actions" column. */
  actions?: boolean
}

/** A list in a card: a horizontally scrollable table whose rows end with their actions. */
export function DataTable({ caption, columns, className, children, actions = true }: DataTableProps) {
  return (
    <div className="table-wrap">
      <table className={`table ${className}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions ? (
              <th scope="col" className="cell-actions">
                Actions
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
