package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;

class NiftiDataTypeTest {

  @Test
  void codesSizesAndNamesFollowNifti1h() {
    int[][] expected = {{2, 1}, {4, 2}, {8, 4}, {16, 4}, {64, 8}, {256, 1}, {512, 2}, {768, 4}};
    String[] names = {"uint8", "int16", "int32", "float32", "float64", "int8", "uint16", "uint32"};
    NiftiDataType[] types = NiftiDataType.values();
    assertEquals(expected.length, types.length);
    for (int i = 0; i < types.length; i++) {
      assertEquals(expected[i][0], types[i].code());
      assertEquals(expected[i][1], types[i].bytesPerVoxel());
      assertEquals(expected[i][1] * 8, types[i].bitpix());
      assertEquals(names[i], types[i].typeName());
      assertEquals(types[i], NiftiDataType.fromCode(types[i].code(), "x.nii"));
    }
  }

  @Test
  void unsupportedCodesNameTheFileAndTheType() {
    MedsslException e = assertThrows(MedsslException.class,
        () -> NiftiDataType.fromCode(32, "scan.nii.gz"));
    assertTrue(e.getMessage().startsWith("scan.nii.gz: unsupported NIfTI datatype complex64"),
        e.getMessage());
    e = assertThrows(MedsslException.class, () -> NiftiDataType.fromCode(9999, "a.nii"));
    assertTrue(e.getMessage().contains("(code 9999)"), e.getMessage());
  }
}
