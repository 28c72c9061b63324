// The import round trip over ../shared/corpus (web and server templates).
import { corpusFiles } from '../helpers/corpus.js';
import { roundTripSuite } from './round-trip-corpus.js';

roundTripSuite('corpus (web and server)', corpusFiles());
