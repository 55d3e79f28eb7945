/**
 * From loaded images to training batches: subjects, subject-level splits and label budgets,
 * preprocessing, slice sampling and a background prefetching loader. Knows nothing about methods.
 */
package org.medssl.data;
