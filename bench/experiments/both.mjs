// Experiment: the statement cache and helmet built once, together.
import './prepare-cache.mjs';
import './helmet-once.mjs';
