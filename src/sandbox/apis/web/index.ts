// The APIs only web templates have: the page's window, scripts, pixels, URL, cookies, storage,
// data layer and consent.

import type { ApiDefinition } from '../types.js';
import { NETWORK_APIS } from './network.js';
import { PAGE_APIS } from './page.js';
import { WINDOW_APIS } from './window.js';

export const WEB_APIS: Record<string, ApiDefinition> = {
  ...WINDOW_APIS,
  ...NETWORK_APIS,
  ...PAGE_APIS,
};
