# work/1 AVX512-VNNI GEMM tiles (src/Work/Kernels/Avx512VnniGemmKernel.cs). .NET 10 has no API for 512-bit vpdpbusd on
# CPUs without AVX10 (AMD Zen 4), so these two leaf functions are assembled once and their bytes embedded in
# Avx512VnniTiles.cs; Avx512VnniTilesTests re-assembles this file (GNU as) and checks the embedded bytes match.
#   as --64 -o tiles.o Avx512VnniTiles.s && objcopy -O binary -j .text tiles.o tiles.bin
# SysV x86-64 ABI; B in the AVX-VNNI packed layout (per 16-column panel, per 4 rows, one zmm: lane = column).
# Register tile: 6 rows × 4 panels = 24 zmm accumulators; each broadcast of A feeds 4 vpdpbusd, each load of B 6.
.intel_syntax noprefix
.text
# void Tile6x4(byte** rowsA /*rdi*/, byte* b /*rsi*/, nint k4 /*rdx*/, int** rowsC /*rcx*/, nint panelBytes /*r8*/)
.globl tile6x4
tile6x4:
  push rbx
  push r12
  push r13
  push r14
  push r15
  mov r9, [rdi + 0]
  mov r10, [rdi + 8]
  mov r11, [rdi + 16]
  mov rbx, [rdi + 24]
  mov r12, [rdi + 32]
  mov r13, [rdi + 40]
  lea r14, [r8 + r8*2]
  xor eax, eax
  vpxord zmm0, zmm0, zmm0
  vpxord zmm1, zmm1, zmm1
  vpxord zmm2, zmm2, zmm2
  vpxord zmm3, zmm3, zmm3
  vpxord zmm4, zmm4, zmm4
  vpxord zmm5, zmm5, zmm5
  vpxord zmm6, zmm6, zmm6
  vpxord zmm7, zmm7, zmm7
  vpxord zmm8, zmm8, zmm8
  vpxord zmm9, zmm9, zmm9
  vpxord zmm10, zmm10, zmm10
  vpxord zmm11, zmm11, zmm11
  vpxord zmm12, zmm12, zmm12
  vpxord zmm13, zmm13, zmm13
  vpxord zmm14, zmm14, zmm14
  vpxord zmm15, zmm15, zmm15
  vpxord zmm16, zmm16, zmm16
  vpxord zmm17, zmm17, zmm17
  vpxord zmm18, zmm18, zmm18
  vpxord zmm19, zmm19, zmm19
  vpxord zmm20, zmm20, zmm20
  vpxord zmm21, zmm21, zmm21
  vpxord zmm22, zmm22, zmm22
  vpxord zmm23, zmm23, zmm23
1:
  vmovdqu64 zmm24, [rsi]
  vmovdqu64 zmm25, [rsi + r8]
  vmovdqu64 zmm26, [rsi + r8*2]
  vmovdqu64 zmm27, [rsi + r14]
  vpbroadcastd zmm28, dword ptr [r9 + rax]
  vpdpbusd zmm0, zmm28, zmm24
  vpdpbusd zmm1, zmm28, zmm25
  vpdpbusd zmm2, zmm28, zmm26
  vpdpbusd zmm3, zmm28, zmm27
  vpbroadcastd zmm29, dword ptr [r10 + rax]
  vpdpbusd zmm4, zmm29, zmm24
  vpdpbusd zmm5, zmm29, zmm25
  vpdpbusd zmm6, zmm29, zmm26
  vpdpbusd zmm7, zmm29, zmm27
  vpbroadcastd zmm28, dword ptr [r11 + rax]
  vpdpbusd zmm8, zmm28, zmm24
  vpdpbusd zmm9, zmm28, zmm25
  vpdpbusd zmm10, zmm28, zmm26
  vpdpbusd zmm11, zmm28, zmm27
  vpbroadcastd zmm29, dword ptr [rbx + rax]
  vpdpbusd zmm12, zmm29, zmm24
  vpdpbusd zmm13, zmm29, zmm25
  vpdpbusd zmm14, zmm29, zmm26
  vpdpbusd zmm15, zmm29, zmm27
  vpbroadcastd zmm28, dword ptr [r12 + rax]
  vpdpbusd zmm16, zmm28, zmm24
  vpdpbusd zmm17, zmm28, zmm25
  vpdpbusd zmm18, zmm28, zmm26
  vpdpbusd zmm19, zmm28, zmm27
  vpbroadcastd zmm29, dword ptr [r13 + rax]
  vpdpbusd zmm20, zmm29, zmm24
  vpdpbusd zmm21, zmm29, zmm25
  vpdpbusd zmm22, zmm29, zmm26
  vpdpbusd zmm23, zmm29, zmm27
  add rax, 4
  add rsi, 64
  dec rdx
  jnz 1b
  mov r9, [rcx + 0]
  vmovdqu32 [r9 + 0], zmm0
  vmovdqu32 [r9 + 64], zmm1
  vmovdqu32 [r9 + 128], zmm2
  vmovdqu32 [r9 + 192], zmm3
  mov r9, [rcx + 8]
  vmovdqu32 [r9 + 0], zmm4
  vmovdqu32 [r9 + 64], zmm5
  vmovdqu32 [r9 + 128], zmm6
  vmovdqu32 [r9 + 192], zmm7
  mov r9, [rcx + 16]
  vmovdqu32 [r9 + 0], zmm8
  vmovdqu32 [r9 + 64], zmm9
  vmovdqu32 [r9 + 128], zmm10
  vmovdqu32 [r9 + 192], zmm11
  mov r9, [rcx + 24]
  vmovdqu32 [r9 + 0], zmm12
  vmovdqu32 [r9 + 64], zmm13
  vmovdqu32 [r9 + 128], zmm14
  vmovdqu32 [r9 + 192], zmm15
  mov r9, [rcx + 32]
  vmovdqu32 [r9 + 0], zmm16
  vmovdqu32 [r9 + 64], zmm17
  vmovdqu32 [r9 + 128], zmm18
  vmovdqu32 [r9 + 192], zmm19
  mov r9, [rcx + 40]
  vmovdqu32 [r9 + 0], zmm20
  vmovdqu32 [r9 + 64], zmm21
  vmovdqu32 [r9 + 128], zmm22
  vmovdqu32 [r9 + 192], zmm23
  vzeroupper
  pop r15
  pop r14
  pop r13
  pop r12
  pop rbx
  ret
  .p2align 4, 0xcc   # tile6x1 starts at offset 0x270
# void Tile6x1(byte** rowsA /*rdi*/, byte* b /*rsi*/, nint k4 /*rdx*/, int** rowsC /*rcx*/, nint columnBytes /*r8*/)
.globl tile6x1
tile6x1:
  push rbx
  push r12
  push r13
  mov r9, [rdi + 0]
  mov r10, [rdi + 8]
  mov r11, [rdi + 16]
  mov rbx, [rdi + 24]
  mov r12, [rdi + 32]
  mov r13, [rdi + 40]
  xor eax, eax
  vpxord zmm0, zmm0, zmm0
  vpxord zmm1, zmm1, zmm1
  vpxord zmm2, zmm2, zmm2
  vpxord zmm3, zmm3, zmm3
  vpxord zmm4, zmm4, zmm4
  vpxord zmm5, zmm5, zmm5
2:
  vmovdqu64 zmm24, [rsi]
  vpbroadcastd zmm28, dword ptr [r9 + rax]
  vpdpbusd zmm0, zmm28, zmm24
  vpbroadcastd zmm29, dword ptr [r10 + rax]
  vpdpbusd zmm1, zmm29, zmm24
  vpbroadcastd zmm28, dword ptr [r11 + rax]
  vpdpbusd zmm2, zmm28, zmm24
  vpbroadcastd zmm29, dword ptr [rbx + rax]
  vpdpbusd zmm3, zmm29, zmm24
  vpbroadcastd zmm28, dword ptr [r12 + rax]
  vpdpbusd zmm4, zmm28, zmm24
  vpbroadcastd zmm29, dword ptr [r13 + rax]
  vpdpbusd zmm5, zmm29, zmm24
  add rax, 4
  add rsi, 64
  dec rdx
  jnz 2b
  mov r9, [rcx + 0]
  vmovdqu32 [r9 + r8], zmm0
  mov r9, [rcx + 8]
  vmovdqu32 [r9 + r8], zmm1
  mov r9, [rcx + 16]
  vmovdqu32 [r9 + r8], zmm2
  mov r9, [rcx + 24]
  vmovdqu32 [r9 + r8], zmm3
  mov r9, [rcx + 32]
  vmovdqu32 [r9 + r8], zmm4
  mov r9, [rcx + 40]
  vmovdqu32 [r9 + r8], zmm5
  vzeroupper
  pop r13
  pop r12
  pop rbx
  ret
  .p2align 4, 0xcc   # peak_vpdpbusd starts at offset 0x360
# int PeakVpdpbusd(nint iterations /*rdi, >= 1*/): 12 independent vpdpbusd zmm per iteration, for bench/Work's peak
.globl peak_vpdpbusd
peak_vpdpbusd:
  vpxord zmm0, zmm0, zmm0
  vpxord zmm1, zmm1, zmm1
  vpxord zmm2, zmm2, zmm2
  vpxord zmm3, zmm3, zmm3
  vpxord zmm4, zmm4, zmm4
  vpxord zmm5, zmm5, zmm5
  vpxord zmm6, zmm6, zmm6
  vpxord zmm7, zmm7, zmm7
  vpxord zmm8, zmm8, zmm8
  vpxord zmm9, zmm9, zmm9
  vpxord zmm10, zmm10, zmm10
  vpxord zmm11, zmm11, zmm11
  mov eax, 0x03030303
  vpbroadcastd zmm12, eax
  mov eax, 0x05050505
  vpbroadcastd zmm13, eax
3:
  vpdpbusd zmm0, zmm12, zmm13
  vpdpbusd zmm1, zmm12, zmm13
  vpdpbusd zmm2, zmm12, zmm13
  vpdpbusd zmm3, zmm12, zmm13
  vpdpbusd zmm4, zmm12, zmm13
  vpdpbusd zmm5, zmm12, zmm13
  vpdpbusd zmm6, zmm12, zmm13
  vpdpbusd zmm7, zmm12, zmm13
  vpdpbusd zmm8, zmm12, zmm13
  vpdpbusd zmm9, zmm12, zmm13
  vpdpbusd zmm10, zmm12, zmm13
  vpdpbusd zmm11, zmm12, zmm13
  dec rdi
  jnz 3b
  vpaddd zmm0, zmm0, zmm1
  vpaddd zmm0, zmm0, zmm2
  vpaddd zmm0, zmm0, zmm3
  vpaddd zmm0, zmm0, zmm4
  vpaddd zmm0, zmm0, zmm5
  vpaddd zmm0, zmm0, zmm6
  vpaddd zmm0, zmm0, zmm7
  vpaddd zmm0, zmm0, zmm8
  vpaddd zmm0, zmm0, zmm9
  vpaddd zmm0, zmm0, zmm10
  vpaddd zmm0, zmm0, zmm11
  vmovd eax, xmm0
  vzeroupper
  ret
