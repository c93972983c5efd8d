// Form state and labelled fields. A 422 from the API names a field; useForm puts its sentence
// next to that field and everything else above the buttons.
import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorNotice } from './notice.jsx';

// `initial` holds one value per field, named as the API names it.
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [fieldErrors, setFieldErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const field = (name) => ({
    name,
    value: values[name],
    error: fieldErrors[name],
    onValue: (value) => {
      setValues((previous) => ({ ...previous, [name]: value }));
      // The error described the old value.
      setFieldErrors((previous) => (previous[name] ? { ...previous, [name]: undefined } : previous));
    },
  });

  // Runs `action(values)`; a refusal that names one of this form's fields is shown there.
  // `validate(values)` may return { field: message } to stop before the API is asked.
  const submit = (action, validate = () => ({})) => async (event) => {
    event.preventDefault();
    setFieldErrors({});
    setError(null);
    const problems = validate(values);
    if (Object.keys(problems).length) {
      setFieldErrors(problems);
      return;
    }
    setBusy(true);
    try {
      await action(values);
    } catch (failure) {
      if (failure instanceof ApiError && failure.field && failure.field in values) {
        setFieldErrors({ [failure.field]: failure.fieldMessage });
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };

  return { values, field, submit, error, busy };
}

// The label, the control, an optional hint and the field's error, wired for screen readers.
function FieldFrame({ label, hint, error, children }) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? 'true' : undefined })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, hint, error, value, onValue, type = 'text', ...rest }) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(wiring) => (
        <input
          {...rest}
          {...wiring}
          type={type}
          value={value ?? ''}
          onInput={(event) => onValue(event.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

export function TextArea({ label, hint, error, value, onValue, ...rest }) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(wiring) => (
        <textarea {...rest} {...wiring} value={value ?? ''} onInput={(event) => onValue(event.currentTarget.value)} />
      )}
    </FieldFrame>
  );
}

// `options`: [[value, label], …].
export function SelectField({ label, hint, error, value, onValue, options, ...rest }) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(wiring) => (
        <select {...rest} {...wiring} value={value} onChange={(event) => onValue(event.currentTarget.value)}>
          {options.map(([optionValue, optionLabel]) => (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxField({ label, hint, error, value, onValue, name }) {
  const id = useId();
  return (
    <div class={error ? 'field field-check field-invalid' : 'field field-check'}>
      <input id={id} name={name} type="checkbox" checked={value} onChange={(event) => onValue(event.currentTarget.checked)} />
      <label for={id}>{label}</label>
      {hint && <p class="hint">{hint}</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

// A set of checkboxes whose value is the array of checked option values.
export function CheckboxGroup({ label, error, value, onValue, options, empty }) {
  const toggle = (option, checked) =>
    onValue(checked ? [...value, option] : value.filter((chosen) => chosen !== option));
  return (
    <fieldset class={error ? 'field field-invalid' : 'field'}>
      <legend>{label}</legend>
      {options.length === 0 && <p class="hint">{empty}</p>}
      {options.map(([optionValue, optionLabel]) => (
        <CheckboxField
          key={optionValue}
          label={optionLabel}
          value={value.includes(optionValue)}
          onValue={(checked) => toggle(optionValue, checked)}
        />
      ))}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

// The refusal that names no field of the form.
export function FormError({ form }) {
  return <ErrorNotice error={form.error} />;
}
