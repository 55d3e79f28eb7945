/**
 * What a study has done, on disk: one atomically written file per finished or failed cell and per
 * pretraining, the pretraining cache shared between studies, and the file locks through which
 * worker processes share out the work.
 */
package org.medssl.study.store;
