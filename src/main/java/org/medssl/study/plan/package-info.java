/**
 * A study's config resolved against its data: the cells (init, labeled budget, seed), the
 * pretrainings they need, budgets in epochs turned into steps, and the fingerprints that decide
 * whether a stored result still answers the same question.
 */
package org.medssl.study.plan;
