// Global declarations both contexts share: the value types of the sandbox and the APIs that web
// and server containers have with the same signature (Google's web and server API references).
// gtm-globals.d.ts (web) and gtm-server-globals.d.ts (server) extend `GtmSharedApis`; a project's
// program holds exactly one of them, so `require` only knows the APIs of the project's context.

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

interface GtmContainerVersion {
  containerId: string;
  debugMode: boolean;
  environmentName: string;
  environmentMode: boolean;
  previewMode: boolean;
  version: string;
}

/** What `addEventCallback` reports for each tag that fired during the event. */
interface GtmTagResult {
  id: string;
  status: string;
  executionTime?: number;
  [metadata: string]: any;
}

interface GtmSharedApis {
  addEventCallback(callback: (containerId: string, eventData: { tags: GtmTagResult[] }) => void): void;
  callLater(fn: () => void): void;
  decodeUri(encodedUri: string): string | undefined;
  decodeUriComponent(encodedUriComponent: string): string | undefined;
  encodeUri(uri: string): string | undefined;
  encodeUriComponent(str: string): string | undefined;
  generateRandom(min: number, max: number): number;
  getContainerVersion(): GtmContainerVersion;
  getTimestamp(): number;
  getTimestampMillis(): number;
  getType(value: unknown): GtmType;
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
