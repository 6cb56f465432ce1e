/** The product name, with its mark (decorative). Not a heading: each page has its own `h1`. */
export function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true" />
      Inlay
    </span>
  );
}
