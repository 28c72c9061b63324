// The type of `data` (what GTM passes to a template's code) and of the form's special fields,
// shared by the web and server 'gtm' typings. The form's values come from `Fields`; the rest from
// Google's API references: a tag (web or server) also gets `gtmOnSuccess`/`gtmOnFailure`, a server
// client and a variable get the form's values only.

/** A read-only text line in the form (a LABEL field): give it a `@title`. It is not in `data`. */
export interface Label {
  readonly __gtmLabel: 'label';
}

type IsGroup<T> = T extends readonly unknown[]
  ? false
  : T extends Label
    ? false
    : T extends object
      ? true
      : false;
type GroupKeys<F> = { [K in keyof F]-?: IsGroup<NonNullable<F[K]>> extends true ? K : never }[keyof F];
type LabelKeys<F> = { [K in keyof F]-?: NonNullable<F[K]> extends Label ? K : never }[keyof F];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/**
 * The keys of `data` for a form type: GTM flattens groups (a nested object type in the form), so
 * their properties are top-level keys of `data`; labels are not in `data` at all.
 */
export type FormData<F> = Omit<F, GroupKeys<F> | LabelKeys<F>> &
  UnionToIntersection<{ [K in GroupKeys<F>]-?: FormData<NonNullable<F[K]>> }[GroupKeys<F>]>;

/** `data` of a tag template: the form's values plus the two completion callbacks. */
export type TagData<F> = FormData<F> & {
  gtmOnSuccess(): void;
  gtmOnFailure(): void;
};

/** `data` of a variable template: the form's values. */
export type VariableData<F> = FormData<F>;

/** `data` of a server client template: the form's values (a client has no completion callbacks). */
export type ClientData<F> = FormData<F>;
