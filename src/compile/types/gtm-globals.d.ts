// Global declarations for web template code: the sandbox's `require`, typed per API name. Referenced
// from the 'gtm' typings and listed in tsconfig.template.json, so helper modules that only call
// `require('x')` are typed too. Server projects get gtm-server-globals.d.ts instead.

/// <reference path="./gtm-shared-globals.d.ts" />

/** The APIs of web templates (Google's sandboxed-JavaScript API reference). */
interface GtmApis extends GtmSharedApis {
  aliasInWindow(toPath: string, fromPath: string): boolean;
  callInWindow(pathToFunction: string, ...args: any[]): any;
  copyFromDataLayer(key: string, dataLayerVersion?: number): any;
  copyFromWindow(key: string): any;
  createArgumentsQueue(fnKey: string, arrayKey: string): (...args: any[]) => void;
  createQueue(arrayKey: string): (...args: any[]) => void;
  fromBase64(base64EncodedString: string): string | undefined;
  getCookieValues(name: string, decode?: boolean): string[];
  getQueryParameters(queryKey: string, retrieveAll?: boolean): string | string[] | undefined;
  getReferrerQueryParameters(queryKey: string, retrieveAll?: boolean): string | string[] | undefined;
  getReferrerUrl(component?: string): string;
  getUrl(component?: string): string;
  gtagSet(key: string | { [key: string]: any }, value?: any): void;
  injectHiddenIframe(url: string, onSuccess?: GtmCallback): void;
  injectScript(url: string, onSuccess: GtmCallback, onFailure: GtmCallback, cacheToken?: string): void;
  isConsentGranted(consentType: string): boolean;
  addConsentListener(consentType: string, listener: (consentType: string, granted: boolean) => void): void;
  localStorage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): boolean;
    removeItem(key: string): void;
  };
  readAnalyticsStorage(cookieOptions?: {
    cookie_prefix?: string;
    cookie_domain?: string;
    cookie_path?: string;
  }): {
    client_id: string;
    sessions: { measurement_id: string; session_id: string; session_number: number }[];
  };
  readCharacterSet(): string;
  readTitle(): string;
  sendPixel(url: string, onSuccess?: GtmCallback, onFailure?: GtmCallback): void;
  /** `encode` (default true): encode the value with encodeURIComponent. The server API's 4th argument is the opposite, `noEncode`. */
  setCookie(name: string, value: string, options?: { [key: string]: any }, encode?: boolean): void;
  setDefaultConsentState(consentSettings: { [key: string]: any }): void;
  setInWindow(key: string, value: unknown, overrideExisting?: boolean): boolean;
  sha256(
    input: string,
    onSuccess: (digest: string) => void,
    onFailure?: () => void,
    options?: { outputEncoding?: 'base64' | 'hex' },
  ): void;
  templateStorage: {
    getItem(key: string): any;
    setItem(key: string, value: any): void;
    removeItem(key: string): void;
    clear(): void;
  };
  toBase64(input: string): string;
  updateConsentState(consentSettings: { [key: string]: any }): void;
}

/** The sandbox's module loader: `require('logToConsole')` etc. */
declare function require<K extends keyof GtmApis>(name: K): GtmApis[K];
