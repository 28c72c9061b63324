// The real templates in ../shared/corpus and ../shared/corpus-wide, read at test time (never copied
// into the project). GTM accepted (saved or exported) nearly all of them; the few that are really
// broken are listed, with evidence, by the suites that meet them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = process.env.GTM_CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
export const corpusWideDir =
  process.env.GTM_CORPUS_WIDE_DIR ?? path.resolve(repoRoot, '../shared/corpus-wide');

export type CorpusFolder = 'corpus' | 'corpus-wide';

export interface CorpusFile {
  /** The file name; unique across both folders. */
  name: string;
  folder: CorpusFolder;
  path: string;
  text: string;
}

function readFolder(folder: CorpusFolder, dir: string): CorpusFile[] {
  if (!existsSync(dir)) throw new Error(`${folder} not found at ${dir}: clone ../shared beside the project`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tpl'))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { name, folder, path: file, text: readFileSync(file, 'utf8') };
    });
}

/** The 57 templates of ../shared/corpus. */
export function corpusFiles(): CorpusFile[] {
  return readFolder('corpus', corpusDir);
}

/** Both folders: ../shared/corpus, then the 233 templates of ../shared/corpus-wide. */
export function allCorpusFiles(): CorpusFile[] {
  return [...corpusFiles(), ...readFolder('corpus-wide', corpusWideDir)];
}
