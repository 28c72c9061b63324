// What an import could not carry over as it was, for the person moving the template: each note
// names the part of the template and why. Nothing the template held is dropped without one.

export interface ImportNote {
  /** A stable code, e.g. `import/dropped-key`. */
  code: string;
  /** Where in the template: a field path (`form: advanced.apiKey`), a section, a scenario. */
  where: string;
  text: string;
}

export class Notes {
  readonly list: ImportNote[] = [];
  add(code: string, where: string, text: string): void {
    this.list.push({ code, where, text });
  }
}
