export function Logo() {
  return (
    <span className="logo">
      <svg width="24" height="24" viewBox="0 0 32 32" aria-hidden>
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path d="M10 9h7a7 7 0 0 1 0 14h-7z" fill="white" />
      </svg>
      <span className="logo-text">Deskflow</span>
    </span>
  )
}
