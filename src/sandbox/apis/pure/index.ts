// The APIs web and server templates share, with the same behaviour in both contexts.

import type { ApiDefinition } from '../types.js';
import { BUILTIN_APIS } from './builtins.js';
import { COMMON_APIS } from './common.js';
import { ENCODING_APIS } from './encoding.js';
import { VALUE_APIS } from './values.js';

export { getTypeOf } from './values.js';
export { later } from './common.js';

export const PURE_APIS: Record<string, ApiDefinition> = {
  ...VALUE_APIS,
  ...ENCODING_APIS,
  ...BUILTIN_APIS,
  ...COMMON_APIS,
};
