package org.medssl.data.phantom;

/**
 * What a phantom voxel is made of. Several tissues share a label (a cyst inside the liver is still
 * liver) and several labels share intensities, which is what keeps intensity alone from
 * segmenting the organs.
 */
enum Tissue {
  AIR(0),
  FAT(0),
  MUSCLE(0),
  /** Mesenteric mix of fat and soft tissue that fills the abdomen between organs. */
  VISCERAL(0),
  BONE(0),
  MARROW(0),
  DISC(0),
  CSF(0),
  VESSEL(0),
  GALLBLADDER(0),
  STOMACH_WALL(0),
  STOMACH_CONTENT(0),
  BOWEL_WALL(0),
  BOWEL_CONTENT(0),
  LIVER(PhantomGenerator.LIVER),
  LIVER_VESSEL(PhantomGenerator.LIVER),
  LIVER_CYST(PhantomGenerator.LIVER),
  KIDNEY_CORTEX(PhantomGenerator.KIDNEY),
  KIDNEY_MEDULLA(PhantomGenerator.KIDNEY),
  KIDNEY_CYST(PhantomGenerator.KIDNEY),
  SPLEEN(PhantomGenerator.SPLEEN),
  // Version 2 only; appended so version 1's ordinals and draws stay as they were. A lesion is
  // labeled as the organ it sits in: the task is organ segmentation, as in liver masks that
  // include the tumours inside the liver.
  LIVER_LESION(PhantomGenerator.LIVER),
  KIDNEY_LESION(PhantomGenerator.KIDNEY),
  SPLEEN_LESION(PhantomGenerator.SPLEEN);

  static final Tissue[] ALL = values();
  /** The tissues version 1 knows; its contrast draws one texture amplitude for each of them. */
  static final int V1_COUNT = SPLEEN.ordinal() + 1;

  final int label;

  Tissue(int label) {
    this.label = label;
  }
}
