// Global declarations for template code: the sandbox's `require`, typed per API name. Referenced
// from the 'gtm' typings and listed in tsconfig.template.json, so helper modules that only call
// `require('x')` are typed too.

type GtmType = 'undefined' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'function';
type GtmPlain = string | number | boolean | null | undefined | GtmPlain[] | { [key: string]: GtmPlain };
type GtmCallback = () => void;

interface GtmUrlComponents {
  href: string;
  origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  searchParams: { [key: string]: string | string[] };
  hash: string;
}

interface GtmApis {
  aliasInWindow(toPath: string, fromPath: string): boolean;
  callInWindow(pathToFunction: string, ...args: any[]): any;
  callLater(fn: () => void): void;
  copyFromDataLayer(key: string, dataLayerVersion?: number): any;
  copyFromWindow(key: string): any;
  createArgumentsQueue(fnKey: string, arrayKey: string): (...args: any[]) => void;
  createQueue(arrayKey: string): (...args: any[]) => void;
  decodeUri(encodedUri: string): string | undefined;
  decodeUriComponent(encodedUriComponent: string): string | undefined;
  encodeUri(uri: string): string | undefined;
  encodeUriComponent(str: string): string | undefined;
  fromBase64(base64EncodedString: string): string | undefined;
  generateRandom(min: number, max: number): number;
  getContainerVersion(): {
    containerId: string;
    debugMode: boolean;
    environmentName: string;
    environmentMode: boolean;
    previewMode: boolean;
    version: string;
  };
  getCookieValues(name: string, decode?: boolean): string[];
  getQueryParameters(queryKey: string, retrieveAll?: boolean): string | string[] | undefined;
  getReferrerQueryParameters(queryKey: string, retrieveAll?: boolean): string | string[] | undefined;
  getReferrerUrl(component?: string): string;
  getTimestamp(): number;
  getTimestampMillis(): number;
  getType(value: unknown): GtmType;
  getUrl(component?: string): string;
  gtagSet(key: string | { [key: string]: any }, value?: any): void;
  injectHiddenIframe(url: string, onSuccess?: GtmCallback): void;
  injectScript(url: string, onSuccess: GtmCallback, onFailure: GtmCallback, cacheToken?: string): void;
  isConsentGranted(consentType: string): boolean;
  addConsentListener(consentType: string, listener: (consentType: string, granted: boolean) => void): void;
  addEventCallback(callback: (containerId: string, eventData: { [key: string]: any }) => void): void;
  localStorage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
  };
  logToConsole(...args: unknown[]): void;
  makeInteger(value: unknown): number;
  makeNumber(value: unknown): number;
  makeString(value: unknown): string;
  makeTableMap<R extends { [key: string]: any }>(
    tableObj: R[],
    keyColumnName: string,
    valueColumnName: string,
  ): { [key: string]: any } | null;
  parseUrl(url: string): GtmUrlComponents | undefined;
  queryPermission(permission: string, ...args: unknown[]): boolean;
  readCharacterSet(): string;
  readTitle(): string;
  sendPixel(url: string, onSuccess?: GtmCallback, onFailure?: GtmCallback): void;
  setCookie(name: string, value: string, options?: { [key: string]: any }, noEncode?: boolean): void;
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
  JSON: {
    parse(text: string): any;
    stringify(value: unknown): string | undefined;
  };
  Math: {
    abs(x: number): number;
    ceil(x: number): number;
    floor(x: number): number;
    max(...values: number[]): number;
    min(...values: number[]): number;
    pow(x: number, y: number): number;
    round(x: number): number;
    sqrt(x: number): number;
  };
  Object: {
    keys(obj: object): string[];
    values<T>(obj: { [key: string]: T }): T[];
    values(obj: object): any[];
    entries<T>(obj: { [key: string]: T }): [string, T][];
    entries(obj: object): [string, any][];
    freeze<T>(obj: T): Readonly<T>;
    delete(obj: object, key: string): boolean;
  };
}

/** The sandbox's module loader: `require('logToConsole')` etc. */
declare function require<K extends keyof GtmApis>(name: K): GtmApis[K];
