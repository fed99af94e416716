// The form renderer every form page uses (public and unit): one FormDefinition becomes accessible,
// JavaScript-free HTML — labels, help, errors tied to fields, an error summary, values kept on re-render.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { optionsFor, type FormContext } from '../forms/context.ts';
import { dateBound, DEFAULT_MAX_LENGTH, MESSAGES } from '../forms/schema.ts';
import type { FieldError } from '../lib/errors.ts';
import type { FieldDefinition, FormDefinition } from '../forms/types.ts';
import { Layout } from './layout.tsx';
import { photoRefField } from '../submissions/photo-ref.ts';

/** Transport fields: never form fields (the engine ignores names starting with _). */
export const TOKEN_FIELD = '_token';
export const HONEYPOT_FIELD = '_website';
export const TURNSTILE_FIELD = 'cf-turnstile-response';

/** Up to this many options render as radio buttons; more become a select. */
const MAX_RADIOS = 7;

export interface FormViewProps {
  form: FormDefinition;
  /** What the person sent (strings, string arrays) or stored answers (booleans, numbers) to prefill. */
  values?: Record<string, unknown>;
  errors?: readonly FieldError[];
  ctx?: FormContext;
  action: string;
  /** Extra hidden inputs, e.g. a record id or the one-time token. */
  hiddenFields?: Record<string, string>;
  /** The one-time token (rendered as hidden _token). */
  token?: string;
  /** Adds the honeypot field; on by default for public forms. */
  honeypot?: boolean;
  turnstileSiteKey?: string;
  submitLabel?: string;
  /** Photos received on an earlier try, by field: their signed references go back in hidden fields. */
  keptPhotos?: Record<string, string>;
  /** Rendered after the questions, before the submit button (e.g. the optional location block, web/location.tsx). */
  extra?: Child;
}

const fieldId = (name: string) => `f-${name}`;

/** Strings as the inputs hold them: booleans as yes/no, numbers as digits. */
function asStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(asStrings);
  if (value === true) return ['yes'];
  if (value === false) return ['no'];
  return [String(value)];
}

/**
 * A yes/no question's two answers as a person says them: 知道/不知道 to "do you know…", 参加过/没参加过 to
 * "have you taken part…", 是/否 otherwise. The stored values stay yes/no.
 */
export function booleanLabels(f: FieldDefinition): readonly [string, string] {
  if (/知道|知晓/.test(f.label)) return ['知道', '不知道'];
  if (/参加过|参与过/.test(f.label)) return ['参加过', '没参加过'];
  return ['是', '否'];
}

/**
 * The message beside a field: "请选择“<the question>”" right under the question repeats it, so a missing
 * answer reads "请选择一项" there; the summary at the top keeps the question.
 */
function besideField(f: FieldDefinition, message: string): string {
  if (message !== MESSAGES.required(f)) return message;
  if (f.type === 'multichoice') return '请至少选择一项';
  if (f.type === 'photo') return '请选择一张照片';
  if (f.type === 'choice' || f.type === 'boolean' || f.type === 'cadre' || f.type === 'place' || f.type === 'unit' || f.type === 'task') return '请选择一项';
  return '请填写这一项';
}

/** The summary's line: the question, then what to do, never the question twice. */
function inSummary(f: FieldDefinition, message: string): string {
  return message.includes(`“${f.label}”`) ? message : `${f.label}：${message}`;
}

function whenHint(form: FormDefinition, f: FieldDefinition): string | undefined {
  if (!f.showWhen) return undefined;
  const parent = form.fields.find((g) => g.name === f.showWhen!.field);
  if (!parent) return undefined;
  const labels = f.showWhen.equals.map((value) => {
    if (parent.type === 'boolean') return booleanLabels(parent)[value === 'yes' || value === 'true' ? 0 : 1];
    return parent.options?.find((o) => o.value === value)?.label ?? value;
  });
  return `仅当“${parent.label}”选择“${labels.join('”或“')}”时填写`;
}

interface FieldProps {
  form: FormDefinition;
  field: FieldDefinition;
  values: string[];
  error?: string;
  ctx: FormContext;
  autofocus: boolean;
  keptPhoto?: string;
}

/** Said beside a photo the server already has: the resend attaches it. */
export const PHOTO_KEPT_TEXT = '照片已收到，提交时会一并保存；如需更换，请重新选择。';

function Field({ form, field: f, values, error, ctx, autofocus, keptPhoto }: FieldProps) {
  const id = fieldId(f.name);
  const helpId = f.help ? `${id}-help` : undefined;
  const whenId = f.showWhen ? `${id}-when` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [errId, helpId, whenId].filter(Boolean).join(' ') || undefined;
  const value = values[0] ?? '';
  const common = {
    name: f.name,
    'aria-describedby': describedBy,
    'aria-invalid': error ? 'true' : undefined,
  } as const;
  const required = f.required ? <span class="req" aria-hidden="true"> *</span> : null;
  const requiredText = f.required ? '（必填）' : '';
  const helpAndError = (
    <>
      {f.help ? <p class="help" id={helpId}>{f.help}</p> : null}
      {whenId ? <p class="help when" id={whenId}>{whenHint(form, f)}</p> : null}
      {error ? <p class="err" id={errId}>{besideField(f, error)}</p> : null}
    </>
  );
  const wrapClass = [error ? 'invalid' : '', f.showWhen ? 'sw' : ''].filter(Boolean).join(' ') || undefined;
  const showWhenAttrs = f.showWhen ? { 'data-when': f.showWhen.field, 'data-equals': f.showWhen.equals.join(' ') } : {};

  const grouped = f.type === 'boolean' || f.type === 'multichoice' || (f.type === 'choice' && (f.options?.length ?? 0) <= MAX_RADIOS);
  if (grouped) {
    const yesNo = booleanLabels(f);
    const options = f.type === 'boolean' ? [{ value: 'yes', label: yesNo[0] }, { value: 'no', label: yesNo[1] }] : optionsFor(f, ctx);
    const type = f.type === 'multichoice' ? 'checkbox' : 'radio';
    // aria-required is not allowed on a fieldset (role group); a required radio group says so on its radios
    // (the legend carries "（必填）" for every group).
    return (
      <div class={wrapClass} {...showWhenAttrs}>
        <fieldset aria-describedby={describedBy}>
          <legend>
            {f.label}
            {required}
            {f.required ? <span class="hp">{requiredText}</span> : null}
          </legend>
          {helpAndError}
          {options.map((o, i) => (
            <label class="opt">
              <input
                type={type}
                {...common}
                id={i === 0 ? id : `${id}-${i}`}
                value={o.value}
                checked={values.includes(o.value)}
                required={type === 'radio' && f.required}
                autofocus={autofocus && i === 0}
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      </div>
    );
  }

  let control: Child;
  const attrs = { ...common, id, required: f.required, autofocus, 'aria-required': f.required ? 'true' : undefined };
  switch (f.type) {
    case 'textarea':
      control = <textarea {...attrs} maxlength={typeof f.max === 'number' ? f.max : DEFAULT_MAX_LENGTH.textarea} placeholder={f.placeholder} rows={4}>{value}</textarea>;
      break;
    case 'choice':
    case 'cadre':
    case 'place':
    case 'unit':
    case 'task': {
      const options = optionsFor(f, ctx);
      control = (
        <select {...attrs}>
          <option value="">请选择</option>
          {options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'date':
      control = <input type="date" {...attrs} value={value} min={dateBound(f.min, ctx)} max={dateBound(f.max, ctx)} />;
      break;
    case 'datetime':
      control = <input type="datetime-local" {...attrs} value={value} />;
      break;
    case 'integer':
      // type=text keeps what was typed on a re-render; inputmode brings up the number pad.
      control = <input type="text" inputmode="numeric" {...attrs} value={value} autocomplete="off" />;
      break;
    case 'phone':
      control = <input type="tel" inputmode="tel" {...attrs} value={value} autocomplete="tel" maxlength={20} placeholder={f.placeholder} />;
      break;
    case 'photo':
      // data-shrink: where JavaScript runs, the page script shrinks the photo before it is sent (web/page-script.ts).
      // A kept photo satisfies a required field, so the file input is no longer required.
      control = (
        <>
          {keptPhoto ? (
            <p class="ok" id={`${id}-kept`}>
              <input type="hidden" name={photoRefField(f.name)} value={keptPhoto} />
              {PHOTO_KEPT_TEXT}
            </p>
          ) : null}
          <input type="file" {...attrs} required={f.required && !keptPhoto} aria-required={f.required && !keptPhoto ? 'true' : undefined} accept="image/jpeg,image/png,image/webp" data-shrink="1280" />
        </>
      );
      break;
    default:
      control = <input type="text" {...attrs} value={value} maxlength={typeof f.max === 'number' ? f.max : DEFAULT_MAX_LENGTH.text} placeholder={f.placeholder} />;
  }
  return (
    <div class={wrapClass} {...showWhenAttrs}>
      <label for={id}>
        {f.label}
        {required}
        {f.required ? <span class="hp">{requiredText}</span> : null}
      </label>
      {helpAndError}
      {control}
    </div>
  );
}

// Hides showWhen fields whose condition is not met; without JavaScript they stay visible with their hint.
/** The <form> with its error summary; for pages that bring their own layout. */
export function FormView(props: FormViewProps) {
  const { form, ctx = {}, errors = [], values = {} } = props;
  const byField = new Map<string, string>();
  for (const e of errors) if (!byField.has(e.field)) byField.set(e.field, e.message);
  const known = new Set(form.fields.map((f) => f.name));
  const firstError = form.fields.find((f) => byField.has(f.name))?.name;
  const multipart = form.fields.some((f) => f.type === 'photo');
  return (
    <>
      {errors.length > 0 ? (
        <div class="alert" role="alert" id="error-summary">
          <h2>有 {errors.length} 处需要修改</h2>
          <ul>
            {errors.map((e) => {
              const f = form.fields.find((x) => x.name === e.field);
              return <li>{known.has(e.field) ? <a href={`#${fieldId(e.field)}`}>{inSummary(f!, e.message)}</a> : e.field === '_location' ? <a href="#f-_location">{e.message}</a> : e.message}</li>;
            })}
          </ul>
        </div>
      ) : null}
      <form method="post" action={props.action} enctype={multipart ? 'multipart/form-data' : undefined} novalidate>
        {props.token ? <input type="hidden" name={TOKEN_FIELD} value={props.token} /> : null}
        {Object.entries(props.hiddenFields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {props.honeypot !== false && form.audience === 'public' ? (
          <div class="hp" aria-hidden="true">
            <label for="f-website">网址（请勿填写）</label>
            <input type="text" id="f-website" name={HONEYPOT_FIELD} tabindex={-1} autocomplete="off" value="" />
          </div>
        ) : null}
        {form.fields.map((f) => (
          <Field form={form} field={f} values={asStrings(values[f.name])} error={byField.get(f.name)} ctx={ctx} autofocus={f.name === firstError} keptPhoto={props.keptPhotos?.[f.name]} />
        ))}
        {props.extra}
        {props.turnstileSiteKey ? <div class="cf-turnstile" data-sitekey={props.turnstileSiteKey} data-language="zh-cn"></div> : null}
        <div class="submit">
          <button type="submit" class="btn">
            {props.submitLabel ?? form.submitLabel ?? '提交'}
          </button>
        </div>
      </form>
      {props.turnstileSiteKey ? raw('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>') : null}
    </>
  );
}

export interface FormPageProps extends FormViewProps {
  /** Shown above the intro, e.g. the unit the answer will be attributed to. */
  notice?: Child;
  heading?: string;
  headingHref?: string;
}

/** A whole page: layout, title, intro and the form. */
export function FormPage(props: FormPageProps) {
  const { form } = props;
  return (
    <Layout title={(props.errors?.length ? '请修改后再提交：' : '') + form.title} heading={props.heading} headingHref={props.headingHref}>
      <h1>{form.title}</h1>
      {props.notice}
      <p class="muted">{form.intro}</p>
      <p class="muted">
        带 <span class="req">*</span> 的为必填项。
      </p>
      <FormView {...props} />
    </Layout>
  );
}
