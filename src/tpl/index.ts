export * from './model.js';
export { parse, parseTestsSection } from './parse.js';
export { print, printCanonical } from './print.js';
export { gsonStringify } from './json.js';
export { formatSectionBody, sectionValue, testsToYaml } from './sections.js';
export { lineColumnAt } from './position.js';
export { formatTemplate, type FormatResult } from './format.js';
