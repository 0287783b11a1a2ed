/** A JSON value, pretty-printed and bounded (a big output must not freeze the panel). */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  if (value === undefined) return <p class="muted">No {label}.</p>;
  let text = JSON.stringify(value, null, 2) ?? 'undefined';
  if (text.length > 100_000) text = `${text.slice(0, 100_000)}\n… (${text.length} characters)`;
  return (
    <pre class="json" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}
