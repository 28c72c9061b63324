// The real templates in ../shared/corpus, read at test time (never copied into the project).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = process.env.GTM_CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');

export interface CorpusFile {
  name: string;
  path: string;
  text: string;
}

export function corpusFiles(): CorpusFile[] {
  if (!existsSync(corpusDir))
    throw new Error(`corpus not found at ${corpusDir}: clone ../shared beside the project`);
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.tpl'))
    .sort()
    .map((name) => {
      const file = path.join(corpusDir, name);
      return { name, path: file, text: readFileSync(file, 'utf8') };
    });
}
