export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  return (
    <span
      className="spinner"
      style={{ width: size, height: size }}
      role={label ? 'status' : undefined}
      aria-hidden={label ? undefined : true}
    >
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  )
}

export function PageSpinner() {
  return (
    <div className="center-pad">
      <Spinner size={24} label="Loading" />
    </div>
  )
}
