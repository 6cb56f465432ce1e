/**
 * Where a page's error is read out. Always in the DOM (empty when there is nothing to say), so
 * assistive technology already watches it when a message arrives.
 */
export function Alert({ message }: { message: string | undefined }) {
  return (
    <div role="alert" className="alert">
      {message}
    </div>
  );
}
