// GTM's typed encoding of permission values (format notes §3.1) ↔ plain JavaScript values.

import type { Permission, TypedValue } from '../tpl/model.js';

/** A plain value: string, boolean, list, or a map with string keys. */
export type PlainValue = string | boolean | PlainValue[] | { [key: string]: PlainValue };

/** Decodes a typed value; returns `undefined` for a shape that is not one of the four types. */
export function decodeTyped(value: unknown): PlainValue | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 1:
      return typeof v.string === 'string' ? v.string : undefined;
    case 8:
      return typeof v.boolean === 'boolean' ? v.boolean : undefined;
    case 2: {
      if (!Array.isArray(v.listItem)) return undefined;
      const items = v.listItem.map(decodeTyped);
      return items.every((i) => i !== undefined) ? (items as PlainValue[]) : undefined;
    }
    case 3: {
      if (!Array.isArray(v.mapKey) || !Array.isArray(v.mapValue) || v.mapKey.length !== v.mapValue.length) {
        return undefined;
      }
      const map: Record<string, PlainValue> = {};
      for (let i = 0; i < v.mapKey.length; i++) {
        const key = decodeTyped(v.mapKey[i]);
        const item = decodeTyped(v.mapValue[i]);
        if (typeof key !== 'string' || item === undefined) return undefined;
        map[key] = item;
      }
      return map;
    }
    default:
      return undefined;
  }
}

export function encodeTyped(value: PlainValue): TypedValue {
  if (typeof value === 'string') return { type: 1, string: value };
  if (typeof value === 'boolean') return { type: 8, boolean: value };
  if (Array.isArray(value)) return { type: 2, listItem: value.map(encodeTyped) };
  const keys = Object.keys(value);
  return {
    type: 3,
    mapKey: keys.map((k) => ({ type: 1, string: k })),
    mapValue: keys.map((k) => encodeTyped(value[k]!)),
  };
}

/** The permission's parameters decoded to plain values (malformed ones are left out). */
export function permissionParams(permission: Permission): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  const params = permission?.instance?.param;
  if (!Array.isArray(params)) return out;
  for (const p of params) {
    const decoded = decodeTyped(p?.value);
    if (typeof p?.key === 'string' && decoded !== undefined) out[p.key] = decoded;
  }
  return out;
}

export function permissionId(permission: Permission): string | undefined {
  const id = permission?.instance?.key?.publicId;
  return typeof id === 'string' ? id : undefined;
}

/** A permission entry as GTM's editor writes it. */
export function makePermission(publicId: string, params: Record<string, PlainValue>): Permission {
  return {
    instance: {
      key: { publicId, versionId: '1' },
      param: Object.keys(params).map((key) => ({ key, value: encodeTyped(params[key]!) })),
    },
    clientAnnotations: { isEditedByUser: true },
    isRequired: true,
  };
}
