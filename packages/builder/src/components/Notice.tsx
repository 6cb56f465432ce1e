/**
 * Where a page says that something worked ("Published v2 to production."). Always in the DOM
 * (empty when there is nothing to say), so screen readers already watch it when a message arrives.
 */
export function Notice({ message }: { message: string | undefined }) {
  return (
    <div role="status" className="notice">
      {message}
    </div>
  );
}
