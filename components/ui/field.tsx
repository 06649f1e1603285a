import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** Inputs without a width, for callers that set their own (`${inputBase} w-36`). */
export const inputBase = 'h-9 rounded-md border border-line bg-bg px-2.5 text-sm text-fg placeholder:text-muted/70 focus:border-accent focus:outline-none aria-[invalid=true]:border-danger';
export const inputClass = `${inputBase} w-full`;

/** A labelled control with its validation message right under it. */
export function Field({ label, error, hint, children, htmlFor, className = '' }: {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
  htmlFor?: string;
  className?: string;
}) {
  return (
    <div className={`flex min-w-0 flex-col gap-1 ${className}`}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-muted">{label}</label>
      {children}
      {error ? <p role="alert" className="text-xs text-danger" data-field-error>{error}</p> : hint ? <p className="text-xs text-muted">{hint}</p> : null}
    </div>
  );
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; error?: string; hint?: ReactNode; fieldClass?: string };

export function TextField({ label, error, hint, fieldClass, id, className = '', ...rest }: TextFieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <Field label={label} error={error} hint={hint} htmlFor={inputId} className={fieldClass}>
      <input id={inputId} aria-invalid={error ? true : undefined} className={`${inputClass} ${className}`} {...rest} />
    </Field>
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & { label: ReactNode; error?: string; hint?: ReactNode; fieldClass?: string };

export function SelectField({ label, error, hint, fieldClass, id, className = '', children, ...rest }: SelectFieldProps) {
  const auto = useId();
  const selectId = id ?? auto;
  return (
    <Field label={label} error={error} hint={hint} htmlFor={selectId} className={fieldClass}>
      <select id={selectId} aria-invalid={error ? true : undefined} className={`${inputClass} ${className}`} {...rest}>{children}</select>
    </Field>
  );
}

type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; error?: string; hint?: ReactNode; fieldClass?: string };

export function TextAreaField({ label, error, hint, fieldClass, id, className = '', ...rest }: TextAreaFieldProps) {
  const auto = useId();
  const areaId = id ?? auto;
  return (
    <Field label={label} error={error} hint={hint} htmlFor={areaId} className={fieldClass}>
      <textarea id={areaId} aria-invalid={error ? true : undefined}
        className={`w-full rounded-md border border-line bg-bg px-2.5 py-2 font-mono text-sm text-fg focus:border-accent focus:outline-none aria-[invalid=true]:border-danger ${className}`} {...rest} />
    </Field>
  );
}

export function Checkbox({ label, className = '', ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode }) {
  return (
    <label className={`inline-flex items-center gap-2 text-sm ${className}`}>
      <input type="checkbox" className="size-4 accent-[var(--wharf-accent)]" {...rest} />
      {label}
    </label>
  );
}
