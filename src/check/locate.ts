// Where in the file a finding is: section markers, JSON paths inside JSON sections, and lines of
// code sections. Templates built in memory have no layout: code findings keep their line in the
// code, everything else points at line 1.

import type { Diagnostic, Severity } from '../diagnostics.js';
import { codeSectionName, rawCodeSection, type RawSection, type Template } from '../tpl/model.js';
import { controlCharsInStrings } from '../tpl/lenient.js';
import {
  certainlyNoRepeatedKeys,
  JsonPositions,
  type JsonPath,
  type RepeatedKey,
} from '../tpl/json-positions.js';
import { lineColumnAt } from '../tpl/position.js';

export type { JsonPath };

export interface Position {
  line: number;
  column: number;
}

export function marker(name: string): string {
  return `___${name}___`;
}

/** Finds positions in one template's text; parses each JSON section's tree at most once. */
export class Locator {
  private readonly indexes = new Map<string, JsonPositions>();

  constructor(private readonly template: Template) {}

  /** The first section with this name (the one `parse` read), if the template came from text. */
  section(name: string): RawSection | undefined {
    return this.template.layout?.sections.find((s) => s.name === name);
  }

  /** The code section `parse` read: the first web or server code section in the file. */
  codeSection(): string {
    return rawCodeSection(this.template)?.name ?? codeSectionName(this.template.context);
  }

  /** The marker line of a section, or line 1. */
  sectionStart(name: string): Position {
    const s = this.section(name);
    return { line: s?.markerLine ?? 1, column: 1 };
  }

  /** A line/column inside a section's body (both 1-based, relative to the body). */
  inSection(name: string, line: number, column: number): Position {
    // Without a layout (a template built in memory) the best position is the one in the body.
    if (!this.template.layout) return { line, column };
    const s = this.section(name);
    if (!s) return { line: 1, column: 1 };
    return { line: s.contentLine + line - 1, column };
  }

  /** The value at `path` in a JSON section; the nearest existing ancestor when it is absent. */
  json(name: string, path: JsonPath): Position {
    const s = this.section(name);
    if (!s) return { line: 1, column: 1 };
    return this.at(s, this.index(s).offsetOf(path));
  }

  /**
   * Keys repeated within one object of a JSON section, each with the position of the later one.
   * `parsed`: the section's value as `parse` read it, when known, which usually proves there are
   * none without indexing the section.
   */
  repeatedKeys(name: string, parsed?: unknown): (RepeatedKey & Position)[] {
    const s = this.section(name);
    if (!s) return [];
    if (parsed !== undefined && certainlyNoRepeatedKeys(s.content, parsed)) return [];
    // In a section indexed with its control characters blanked, two values may only look alike.
    const blanked = this.template.syntaxNotes?.some((n) => n.section === name) ?? false;
    return this.index(s).repeatedKeys.map((k) => ({
      ...k,
      ...this.at(s, k.offset),
      sameValue: k.sameValue && !blanked,
    }));
  }

  private index(s: RawSection): JsonPositions {
    let index = this.indexes.get(s.name);
    if (!index) {
      // A raw control character inside a string (which GTM reads) would end the string for the
      // index; a space in its place keeps every offset.
      const noted = this.template.syntaxNotes?.some((n) => n.section === s.name);
      index = new JsonPositions(noted ? (controlCharsInStrings(s.content, 'blank') ?? s.content) : s.content);
      this.indexes.set(s.name, index);
    }
    return index;
  }

  private at(s: RawSection, offset: number): Position {
    const at = lineColumnAt(s.content, offset);
    return { line: s.contentLine + at.line - 1, column: at.column };
  }
}

/** Collects diagnostics for one section with less ceremony at each call site. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  /**
   * Permissions whose entry has an error (reported by the permissions step): later steps do not
   * judge calls against them, so one malformed entry gives one finding, not one per call.
   */
  readonly malformedPermissions = new Set<string>();

  constructor(readonly locate: Locator) {}

  add(severity: Severity, code: string, text: string, section: string, at: Position, notes?: string[]): void {
    this.diagnostics.push({
      code,
      severity,
      text,
      section: marker(section),
      line: at.line,
      column: at.column,
      ...(notes && notes.length ? { notes } : {}),
    });
  }

  error(code: string, text: string, section: string, at: Position, notes?: string[]): void {
    this.add('error', code, text, section, at, notes);
  }

  warning(code: string, text: string, section: string, at: Position, notes?: string[]): void {
    this.add('warning', code, text, section, at, notes);
  }
}

/** A JSON value's kind in words, for messages ("expected an array, found a string"). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
