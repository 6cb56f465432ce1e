/**
 * A table row's action ("Edit", "Delete"…): small, its accessible name says which row it acts on
 * ("Delete warehouse"), red when it destroys something.
 */
export function RowButton(props: { action: string; subject: string; danger?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className={`button secondary small${props.danger ? ' danger-text' : ''}`}
      aria-label={`${props.action} ${props.subject}`}
      onClick={props.onClick}
    >
      {props.action}
    </button>
  );
}
