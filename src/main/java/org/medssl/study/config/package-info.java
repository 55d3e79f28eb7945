/**
 * What a study asks for: its YAML file read into {@link org.medssl.study.config.StudyConfig}
 * (dataset, inits, budgets, seeds, fine-tuning and pretraining settings), every value checked with
 * an error that names the file and the key.
 */
package org.medssl.study.config;
