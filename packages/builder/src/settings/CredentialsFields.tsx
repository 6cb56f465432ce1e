/// <reference lib="dom" />
import type { ConnectionField, ConnectionSettings, ConnectionTypeInfo } from '../admin-api.js';
import { Field } from '../components/Field.js';
import { CheckField } from '../editor-ui/fields.js';

/** What the form holds per field: text as typed, a checkbox as ticked. */
export type FieldValues = Record<string, string | boolean>;

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;

/** A form's values for `type`: an edit shows the saved settings (never a secret), a new one the defaults. */
export function initialValues(type: ConnectionTypeInfo, saved?: ConnectionSettings): FieldValues {
  const out: FieldValues = {};
  for (const f of type.fields) {
    const value = saved?.[f.name];
    if (f.input === 'checkbox') out[f.name] = value === true;
    else if (f.secret) out[f.name] = '';
    else out[f.name] = value !== undefined ? String(value) : (f.initial ?? '');
  }
  return out;
}

/**
 * The values carried to another type: what was typed stays for fields of the same name, a value
 * still at the old type's starting value follows the new type's (a default port).
 */
export function switchValues(
  from: ConnectionTypeInfo,
  to: ConnectionTypeInfo,
  values: FieldValues,
): FieldValues {
  const out = initialValues(to);
  for (const f of to.fields) {
    const was = values[f.name];
    const oldInitial = from.fields.find((o) => o.name === f.name)?.initial ?? '';
    if (typeof was === 'boolean' && f.input === 'checkbox') out[f.name] = was;
    else if (typeof was === 'string' && was !== '' && was !== oldInitial && f.input !== 'checkbox') {
      out[f.name] = was;
    }
  }
  return out;
}

/** The credentials the server's check for `type` takes, from what was typed (blanks left out). */
export function credentialsOf(type: ConnectionTypeInfo, values: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const value = values[f.name];
    if (value === true) out[f.name] = true;
    else if (typeof value === 'string') {
      // A password is sent as typed; spaces may be part of it.
      const given = f.secret ? value : value.trim();
      if (given !== '') out[f.name] = given;
    }
  }
  return out;
}

/** Text fields two to a row, then passwords, then checkboxes. */
function layout(fields: readonly ConnectionField[]): ConnectionField[][] {
  const plain = fields.filter((f) => !f.secret && f.input !== 'checkbox');
  const rows: ConnectionField[][] = [];
  for (let i = 0; i < plain.length; i += 2) rows.push(plain.slice(i, i + 2));
  for (const f of fields) if (f.secret && f.input !== 'checkbox') rows.push([f]);
  for (const f of fields) if (f.input === 'checkbox') rows.push([f]);
  return rows;
}

/** The field's help: what it expects, and for an optional one what leaving it out means. */
function hintOf(f: ConnectionField): string {
  if (f.required) return sentence(f.expects);
  return `Optional${f.blank ? ` (blank: ${f.blank})` : ''}: ${f.expects}.`;
}

export interface CredentialsFieldsProps {
  type: ConnectionTypeInfo;
  values: FieldValues;
  onChange: (name: string, value: string | boolean) => void;
  /** Editing a saved connection; `keepsPassword`: a password is saved and a blank one keeps it. */
  editing: boolean;
  keepsPassword: boolean;
}

/** The inputs of one connection type, drawn from its fields as the server describes them. */
export function CredentialsFields({
  type,
  values,
  onChange,
  editing,
  keepsPassword,
}: CredentialsFieldsProps) {
  const secretHint = editing
    ? keepsPassword
      ? 'Leave blank to keep the saved password.'
      : 'No password is saved.'
    : 'Stored encrypted; never shown again.';
  const input = (f: ConnectionField) => {
    if (f.input === 'checkbox') {
      return (
        <CheckField
          key={f.name}
          label={f.label}
          checked={values[f.name] === true}
          onChange={(v) => onChange(f.name, v)}
        />
      );
    }
    return (
      <Field
        key={f.name}
        label={f.label}
        type={f.secret ? 'password' : 'text'}
        // Not the admin's own password: the browser must not fill it in or offer to save it.
        autoComplete={f.secret ? 'new-password' : 'off'}
        spellCheck={false}
        autoCapitalize="none"
        {...(f.input === 'number' ? { inputMode: 'numeric' as const } : {})}
        {...(f.placeholder ? { placeholder: f.placeholder } : {})}
        hint={f.secret ? secretHint : hintOf(f)}
        value={String(values[f.name] ?? '')}
        onChange={(e) => onChange(f.name, e.target.value)}
      />
    );
  };
  return (
    <>
      {layout(type.fields).map((row) =>
        row.length === 1 ? (
          input(row[0]!)
        ) : (
          <div key={row[0]!.name} className="field-row even">
            {row.map(input)}
          </div>
        ),
      )}
    </>
  );
}
