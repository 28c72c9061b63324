// The import round trip over the web templates of ../shared/corpus-wide.
import { parse } from '../../src/tpl/index.js';
import { allCorpusFiles } from '../helpers/corpus.js';
import { roundTripSuite } from './round-trip-corpus.js';

const wide = allCorpusFiles().filter((f) => f.folder === 'corpus-wide');
roundTripSuite(
  'corpus-wide, web',
  wide.filter((f) => parse(f.text).context === 'WEB'),
);
