// The Community Template Gallery's `metadata.yaml` (format notes §7.2): homepage, documentation,
// and the published versions, newest first, each a 40-hex commit SHA with change notes.

import { stringify } from 'yaml';

export interface GalleryMetadata {
  homepage: string;
  documentation?: string;
  versions: { sha: string; changeNotes: string }[];
}

export function metadataYaml(gallery: GalleryMetadata): string {
  const doc: Record<string, unknown> = { homepage: gallery.homepage };
  if (gallery.documentation) doc.documentation = gallery.documentation;
  doc.versions = gallery.versions.map((v) => ({ sha: v.sha, changeNotes: v.changeNotes }));
  return stringify(doc, { lineWidth: 0 });
}
