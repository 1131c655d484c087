// Single-precision GEMM and im2col for WebAssembly SIMD (baseline simd128: no relaxed SIMD, so no
// FMA: every multiply-add is an f32x4.mul followed by an f32x4.add), with an optional ReLU or
// ReLU6 on the result; Winograd F(2×2, 3×3) on top of the GEMM for 3×3 stride-1 convolutions; and
// the loops that are not GEMMs: max pooling, depthwise convolution (row kernels for 3×3 and 5×5),
// and the elementwise passes (batch norm as a per-channel affine map, ReLU, ReLU6, residual
// sums); the preview's per-plane statistics; and the
// engine's random initialization and Winograd weight transform, which the packers run here.
//
// Built by scripts/build-wasm.mjs with clang --target=wasm32; no libc. All pointers are byte
// offsets into the module's own linear memory, which the TypeScript side (index.ts, heap.ts)
// allocates and grows.
//
// Layout conventions (all row-major):
//   A is M×K, B is K×N, C is M×N with row stride ldc.
//   An unpacked operand is read through (row stride, column stride), so a transposed operand is
//   just swapped strides.
//   Packed A: ceil(M/MR) panels of MR rows; panel i holds A[i·MR + r, k] at [k·MR + r] for all K,
//             rows past M are zero. A KC-slice of a panel is contiguous (it starts at k0·MR), so a
//             matrix packed once over the whole K serves every K-blocking.
//   Packed B: ceil(N/NR) panels of NR columns; panel j holds B[k, j·NR + l] at [k·NR + l],
//             columns past N are zero.
//
// Blocking after Goto & van de Geijn / BLIS: for each NC-wide block of columns and KC-deep block
// of K, the B block is packed (or, for a convolution, gathered straight from the input by im2col)
// into NR-wide panels that stay in L2, and the MR×NR micro-kernel sweeps every MR-row panel of A
// against one B panel (KC·NR·4 = 8 KiB, in L1) before moving to the next.
//
// Micro-kernel 5×8 (MR×NR): 10 accumulators, 2 B vectors, one broadcast and one product
// temporary are 14 of the 15 XMM registers TurboFan allocates on x86-64. Measured in Node 20 on
// AMD EPYC (L1-resident kernel loop, GFLOP/s): 5×8 ≈ 32–39, 4×8 ≈ 28–35, 4×16 ≈ 31, 8×8 ≈ 26,
// 6×8 ≈ 24 (spills); unrolling the k loop spilled too. The build passes -mllvm -disable-lsr:
// with loop strength reduction LLVM turns the panel pointers into plain integer adds, the
// constant offsets no longer fold into the loads' offset immediates, and V8 spends an extra
// address computation per load (−10–15 %).

#include <wasm_simd128.h>

typedef float f32;
typedef int i32;
typedef unsigned int u32;

#define MR 5
#define NR 8
#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC (MR * 24)
#endif
#ifndef NC
#define NC 256
#endif

_Static_assert(MC % MR == 0 && NC % NR == 0, "blocks must hold whole panels");

#define EXPORT(name) __attribute__((export_name(name)))
// The micro-kernels and the im2col gather stay separate functions: V8 first runs wasm in its
// baseline compiler and only switches a function to the optimizing tier on a later call, so a
// hot loop inside one long call would stay slow for the whole first GEMM.
#define NOINLINE __attribute__((noinline))

static inline i32 min_i32(i32 a, i32 b) { return a < b ? a : b; }

// K split into equal blocks of at most KC (576 → 2 × 288, not 256 + 256 + 64): every block pays
// the same per-tile overhead (C tile in and out, kernel call), so a short remainder block is the
// least efficient one.
static inline i32 balanced_kc(i32 K) {
  const i32 blocks = (K + KC - 1) / KC;
  return (K + blocks - 1) / blocks;
}

// ---------------------------------------------------------------------------------------------
// Micro-kernels: tile[0..R, 0..NR) += a_panel · b_panel over kc steps. The A panel always has MR
// floats per k step; only the first R are used, so the bottom edge of M costs R/MR of a full tile.
//
// The kernels work on one static MR×NR tile, not on C: with C's row stride a run-time value, V8
// kept the five row addresses live across the loop and spilled two accumulators (5×8 fell from
// ≈39 to ≈19 GFLOP/s); with bias or zero initialisation folded into the kernel, TurboFan hoisted
// the loop's broadcasts and spilled too. Copying the tile in and out costs ≈20 vector moves per
// kc·80 multiply-adds.

static f32 tile[MR * NR] __attribute__((aligned(16)));

#define DEFINE_KERNEL(R)                                                                          \
  NOINLINE static void kernel_##R##x8(i32 kc, const f32 *a, const f32 *b) {                      \
    v128_t acc[R][2];                                                                             \
    for (i32 r = 0; r < R; r++)                                                                   \
      for (i32 v = 0; v < 2; v++) acc[r][v] = wasm_v128_load(tile + r * NR + 4 * v);             \
    for (i32 k = 0; k < kc; k++) {                                                                \
      v128_t bv[2];                                                                               \
      for (i32 v = 0; v < 2; v++) bv[v] = wasm_v128_load(b + 4 * v);                             \
      for (i32 r = 0; r < R; r++) {                                                               \
        const v128_t ar = wasm_v128_load32_splat(a + r);                                          \
        for (i32 v = 0; v < 2; v++)                                                               \
          acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(ar, bv[v]));                       \
      }                                                                                           \
      a += MR;                                                                                    \
      b += NR;                                                                                    \
    }                                                                                             \
    for (i32 r = 0; r < R; r++)                                                                   \
      for (i32 v = 0; v < 2; v++) wasm_v128_store(tile + r * NR + 4 * v, acc[r][v]);             \
  }

DEFINE_KERNEL(1)
DEFINE_KERNEL(2)
DEFINE_KERNEL(3)
DEFINE_KERNEL(4)
DEFINE_KERNEL(5)

typedef void (*kernel_fn)(i32, const f32 *, const f32 *);
static const kernel_fn kernels[MR + 1] = {0,          kernel_1x8, kernel_2x8,
                                          kernel_3x8, kernel_4x8, kernel_5x8};

// tile[0..rows, 0..NR) = C block (columns past `cols` zero), or zeros when !load.
static void load_tile(const f32 *c, i32 ldc, i32 rows, i32 cols, i32 load) {
  for (i32 r = 0; r < rows; r++) {
    f32 *t = tile + r * NR;
    const f32 *row = c + r * ldc;
    if (load && cols == NR) {
      wasm_v128_store(t, wasm_v128_load(row));
      wasm_v128_store(t + 4, wasm_v128_load(row + 4));
    } else if (load) {
      for (i32 l = 0; l < NR; l++) t[l] = l < cols ? row[l] : 0.0f;
    } else {
      wasm_v128_store(t, wasm_f32x4_splat(0.0f));
      wasm_v128_store(t + 4, wasm_f32x4_splat(0.0f));
    }
  }
}

// The activation after a layer, wherever a pass takes an `act` argument: ACT_NONE, ACT_RELU
// (max(·, 0)) or ACT_RELU6 (min(max(·, 0), 6), PyTorch's hardtanh(0, 6)). NaN stays NaN in both, as
// in PyTorch: f32x4.pmax(v, 0) is v < 0 ? 0 : v and f32x4.pmin(v, 6) is 6 < v ? 6 : v.
#define ACT_NONE 0
#define ACT_RELU 1
#define ACT_RELU6 2

static inline v128_t act4(v128_t v, i32 act) {
  if (act == ACT_NONE) return v;
  v = wasm_f32x4_pmax(v, wasm_f32x4_splat(0.0f));
  return act == ACT_RELU6 ? wasm_f32x4_pmin(v, wasm_f32x4_splat(6.0f)) : v;
}

static inline f32 act1(f32 v, i32 act) {
  if (act == ACT_NONE) return v;
  if (v < 0.0f) return 0.0f;
  return act == ACT_RELU6 && 6.0f < v ? 6.0f : v;
}

// C block = act(tile): the activation applied on the way out, not in a pass of its own.
static void store_tile(f32 *c, i32 ldc, i32 rows, i32 cols, i32 act) {
  for (i32 r = 0; r < rows; r++) {
    const f32 *t = tile + r * NR;
    f32 *row = c + r * ldc;
    if (cols == NR) {
      wasm_v128_store(row, act4(wasm_v128_load(t), act));
      wasm_v128_store(row + 4, act4(wasm_v128_load(t + 4), act));
    } else {
      for (i32 l = 0; l < cols; l++) row[l] = act1(t[l], act);
    }
  }
}

// tile[r, ·] = 0 + row_bias[r]: the first K block of a product with a row bias and nothing to
// accumulate onto, in one pass (the same values as zeros, then add_bias_to_tile).
static void bias_tile(i32 rows, const f32 *row_bias) {
  for (i32 r = 0; r < rows; r++) {
    const v128_t v = wasm_f32x4_splat(0.0f + row_bias[r]);
    wasm_v128_store(tile + r * NR, v);
    wasm_v128_store(tile + r * NR + 4, v);
  }
}

// tile[r, l] += row_bias[r] + col_bias[l] for r < rows, l < cols; either bias may be 0.
static void add_bias_to_tile(i32 rows, i32 cols, const f32 *row_bias, const f32 *col_bias) {
  if (!col_bias) {
    // A convolution's bias (a batch norm folded in): one splat per row, all NR lanes (the lanes
    // past `cols` are never stored). The same sums as the scalar loop: t + (rb + 0) = t + rb.
    for (i32 r = 0; r < rows; r++) {
      f32 *t = tile + r * NR;
      const v128_t rb = wasm_v128_load32_splat(row_bias + r);
      wasm_v128_store(t, wasm_f32x4_add(wasm_v128_load(t), rb));
      wasm_v128_store(t + 4, wasm_f32x4_add(wasm_v128_load(t + 4), rb));
    }
    return;
  }
  for (i32 r = 0; r < rows; r++) {
    f32 *t = tile + r * NR;
    const f32 rb = row_bias ? row_bias[r] : 0.0f;
    for (i32 l = 0; l < cols; l++) t[l] += rb + (col_bias ? col_bias[l] : 0.0f);
  }
}

// One packed A block (mc rows, panels pa_stride floats apart) times one packed B block (nc
// columns, panels pb_stride floats apart), into C at c (row stride ldc). With `init`, this is the
// first K block: C starts from (accumulate ? C : 0) + biases; otherwise C accumulates. With
// `act`, this is the last K block of a product followed by that activation.
static void macro_kernel(i32 mc, i32 nc, i32 kc, const f32 *pa, i32 pa_stride, const f32 *pb,
                         i32 pb_stride, f32 *c, i32 ldc, i32 init, i32 accumulate,
                         const f32 *row_bias, const f32 *col_bias, i32 act) {
  const i32 add_bias = init && (row_bias || col_bias);
  for (i32 jr = 0; jr < nc; jr += NR) {
    const i32 nr = min_i32(NR, nc - jr);
    const f32 *b = pb + (jr / NR) * pb_stride;
    for (i32 ir = 0; ir < mc; ir += MR) {
      const i32 mr = min_i32(MR, mc - ir);
      f32 *ct = c + ir * ldc + jr;
      if (init && !accumulate && row_bias && !col_bias) {
        bias_tile(mr, row_bias + ir);
      } else {
        load_tile(ct, ldc, mr, nr, accumulate || !init);
        if (add_bias)
          add_bias_to_tile(mr, nr, row_bias ? row_bias + ir : 0, col_bias ? col_bias + jr : 0);
      }
      kernels[mr](kc, pa + (ir / MR) * pa_stride, b);
      store_tile(ct, ldc, mr, nr, act);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Packing

// src is read as src[i·rs + k·cs] for i < m, k < k_len; dst gets ceil(m/MR) panels of MR·k_len.
EXPORT("pack_a")
void pack_a(const f32 *src, i32 m, i32 k_len, i32 rs, i32 cs, f32 *dst) {
  for (i32 i0 = 0; i0 < m; i0 += MR) {
    const i32 rows = min_i32(MR, m - i0);
    f32 *panel = dst + i0 * k_len;  // i0 is a multiple of MR: panel (i0/MR) · MR·k_len
    for (i32 r = 0; r < MR; r++) {
      if (r < rows) {
        const f32 *row = src + (i0 + r) * rs;
        for (i32 k = 0; k < k_len; k++) panel[k * MR + r] = row[k * cs];
      } else {
        for (i32 k = 0; k < k_len; k++) panel[k * MR + r] = 0.0f;
      }
    }
  }
}

// src is read as src[k·rs + j·cs] for k < k_len, j < n; dst gets ceil(n/NR) panels of NR·k_len.
EXPORT("pack_b")
void pack_b(const f32 *src, i32 k_len, i32 n, i32 rs, i32 cs, f32 *dst) {
  for (i32 j0 = 0; j0 < n; j0 += NR) {
    const i32 cols = min_i32(NR, n - j0);
    f32 *panel = dst + j0 * k_len;
    if (cols == NR && cs == 1) {
      const f32 *s = src + j0;
      for (i32 k = 0; k < k_len; k++) {
        wasm_v128_store(panel + k * NR, wasm_v128_load(s));
        wasm_v128_store(panel + k * NR + 4, wasm_v128_load(s + 4));
        s += rs;
      }
    } else {
      for (i32 k = 0; k < k_len; k++)
        for (i32 l = 0; l < NR; l++) panel[k * NR + l] = l < cols ? src[k * rs + (j0 + l) * cs] : 0.0f;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GEMM

// C (M×N, row stride ldc) = [C +] A·B [+ row_bias (M) broadcast along rows] [+ col_bias (N)],
// then the activation `act` (ACT_*). a_packed / b_packed: 1 when the operand was packed by pack_a /
// pack_b over the whole K (its strides are then ignored). Either bias may be 0. ws must hold
// gemm_workspace_floats() floats.
EXPORT("sgemm")
void sgemm(i32 M, i32 N, i32 K, const f32 *A, i32 a_packed, i32 a_rs, i32 a_cs, const f32 *B,
           i32 b_packed, i32 b_rs, i32 b_cs, f32 *C, i32 ldc, const f32 *row_bias,
           const f32 *col_bias, i32 accumulate, i32 act, f32 *ws) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (i32 i = 0; i < M; i++)
      for (i32 j = 0; j < N; j++) {
        f32 v = accumulate ? C[i * ldc + j] : 0.0f;
        if (row_bias) v += row_bias[i];
        if (col_bias) v += col_bias[j];
        C[i * ldc + j] = act1(v, act);
      }
    return;
  }
  f32 *ws_b = ws;
  f32 *ws_a = ws + KC * NC;
  const i32 kc_step = balanced_kc(K);
  for (i32 jc = 0; jc < N; jc += NC) {
    const i32 nc = min_i32(NC, N - jc);
    for (i32 pc = 0; pc < K; pc += kc_step) {
      const i32 kc = min_i32(kc_step, K - pc);
      const f32 *pb;
      i32 pb_stride;
      if (b_packed) {
        pb = B + jc * K + pc * NR;  // jc is a multiple of NR
        pb_stride = NR * K;
      } else {
        pack_b(B + pc * b_rs + jc * b_cs, kc, nc, b_rs, b_cs, ws_b);
        pb = ws_b;
        pb_stride = NR * kc;
      }
      const i32 first = pc == 0;
      for (i32 ic = 0; ic < M; ic += MC) {
        const i32 mc = min_i32(MC, M - ic);
        const f32 *pa;
        i32 pa_stride;
        if (a_packed) {
          pa = A + ic * K + pc * MR;
          pa_stride = MR * K;
        } else {
          pack_a(A + ic * a_rs + pc * a_cs, mc, kc, a_rs, a_cs, ws_a);
          pa = ws_a;
          pa_stride = MR * kc;
        }
        macro_kernel(mc, nc, kc, pa, pa_stride, pb, pb_stride, C + ic * ldc + jc, ldc, first,
                     accumulate, row_bias ? row_bias + ic : 0, col_bias ? col_bias + jc : 0,
                     pc + kc == K ? act : ACT_NONE);
      }
    }
  }
}

EXPORT("gemm_workspace_floats")
i32 gemm_workspace_floats(void) { return KC * NC + MC * KC; }

EXPORT("gemm_mr") i32 gemm_mr(void) { return MR; }
EXPORT("gemm_nr") i32 gemm_nr(void) { return NR; }

// ---------------------------------------------------------------------------------------------
// Convolution: im2col gathered straight into packed B panels, one KC×NC block at a time, so the
// column matrix never exists in full and each block is still in cache when the GEMM reads it.

typedef struct {
  const f32 *x;  // channels × in_h × in_w
  i32 in_h, in_w;
  i32 kernel_h, kernel_w;
  i32 stride_h, stride_w;
  i32 pad_h, pad_w;  // padding before (top, left); the output size implies the rest
  i32 dilation_h, dilation_w;
  i32 out_w;
} conv_geometry;

// Rows k0..k0+kc (k = (c·KH + kh)·KW + kw) and columns p0..p0+np (p = oh·OW + ow) of the column
// matrix, as NR-wide panels of kc·NR floats.
NOINLINE static void im2col_pack(const conv_geometry *g, i32 k0, i32 kc, i32 p0, i32 np,
                                 f32 *dst) {
  const i32 H = g->in_h, W = g->in_w, KW = g->kernel_w, KHW = g->kernel_h * g->kernel_w;
  const i32 sw = g->stride_w, dh = g->dilation_h, dw = g->dilation_w;
  for (i32 q = 0; q < np; q += NR) {
    const i32 lanes = min_i32(NR, np - q);
    f32 *panel = dst + q * kc;
    i32 ih0[NR], iw0[NR];
    for (i32 l = 0; l < NR; l++) {
      const i32 p = p0 + q + (l < lanes ? l : 0);
      const i32 oh = p / g->out_w, ow = p - oh * g->out_w;
      ih0[l] = oh * g->stride_h - g->pad_h;
      iw0[l] = ow * sw - g->pad_w;
    }
    // One output row for the whole panel: the lanes read one input row at a fixed stride.
    const i32 one_row = lanes == NR && ih0[0] == ih0[NR - 1];
    i32 c = k0 / KHW, rem = k0 - c * KHW;
    i32 kh = rem / KW, kw = rem - kh * KW;
    for (i32 kk = 0; kk < kc; kk++) {
      f32 *out = panel + kk * NR;
      const f32 *plane = g->x + c * H * W;
      if (one_row) {
        const i32 ih = ih0[0] + kh * dh;
        const i32 iw = iw0[0] + kw * dw;
        if ((u32)ih >= (u32)H) {
          wasm_v128_store(out, wasm_f32x4_splat(0.0f));
          wasm_v128_store(out + 4, wasm_f32x4_splat(0.0f));
        } else if (iw >= 0 && iw + sw * (NR - 1) < W) {
          const f32 *s = plane + ih * W + iw;
          if (sw == 1) {
            wasm_v128_store(out, wasm_v128_load(s));
            wasm_v128_store(out + 4, wasm_v128_load(s + 4));
          } else if (sw == 2 && iw + 2 * NR - 1 < W) {
            const v128_t v0 = wasm_v128_load(s), v1 = wasm_v128_load(s + 4);
            const v128_t v2 = wasm_v128_load(s + 8), v3 = wasm_v128_load(s + 12);
            wasm_v128_store(out, wasm_i32x4_shuffle(v0, v1, 0, 2, 4, 6));
            wasm_v128_store(out + 4, wasm_i32x4_shuffle(v2, v3, 0, 2, 4, 6));
          } else {
            for (i32 l = 0; l < NR; l++) out[l] = s[l * sw];
          }
        } else {
          const f32 *row = plane + ih * W;
          for (i32 l = 0; l < NR; l++) {
            const i32 x = iw + l * sw;
            out[l] = (u32)x < (u32)W ? row[x] : 0.0f;
          }
        }
      } else {
        for (i32 l = 0; l < NR; l++) {
          const i32 ih = ih0[l] + kh * dh, iw = iw0[l] + kw * dw;
          out[l] = l < lanes && (u32)ih < (u32)H && (u32)iw < (u32)W ? plane[ih * W + iw] : 0.0f;
        }
      }
      if (++kw == KW) {
        kw = 0;
        if (++kh == g->kernel_h) {
          kh = 0;
          c++;
        }
      }
    }
  }
}

// out (M × OH·OW, row stride ldo) = [out +] W·im2col(x) [+ bias per row], then max(·, 0) when
// `act`, with W packed by pack_a (M × channels·KH·KW). One group of one image; the caller offsets
// x, W, out and bias per group.
EXPORT("conv2d")
void conv2d(const f32 *x, i32 channels, i32 in_h, i32 in_w, i32 kernel_h, i32 kernel_w,
            i32 stride_h, i32 stride_w, i32 pad_h, i32 pad_w, i32 dilation_h, i32 dilation_w,
            i32 out_h, i32 out_w, const f32 *packed_w, i32 M, f32 *out, i32 ldo,
            const f32 *row_bias, i32 accumulate, i32 act, f32 *ws) {
  const conv_geometry g = {x,        in_h,     in_w,       kernel_h,   kernel_w, stride_h,
                           stride_w, pad_h,    pad_w,      dilation_h, dilation_w, out_w};
  const i32 K = channels * kernel_h * kernel_w, N = out_h * out_w;
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    sgemm(M, N, 0, 0, 0, 0, 0, 0, 0, 0, 0, out, ldo, row_bias, 0, accumulate, act, ws);
    return;
  }
  f32 *ws_b = ws;
  const i32 kc_step = balanced_kc(K);
  for (i32 jc = 0; jc < N; jc += NC) {
    const i32 nc = min_i32(NC, N - jc);
    for (i32 pc = 0; pc < K; pc += kc_step) {
      const i32 kc = min_i32(kc_step, K - pc);
      im2col_pack(&g, pc, kc, jc, nc, ws_b);
      for (i32 ic = 0; ic < M; ic += MC) {
        macro_kernel(min_i32(MC, M - ic), nc, kc, packed_w + ic * K + pc * MR, MR * K, ws_b,
                     NR * kc, out + ic * ldo + jc, ldo, pc == 0, accumulate,
                     row_bias ? row_bias + ic : 0, 0, pc + kc == K ? act : ACT_NONE);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Winograd F(2×2, 3×3) (Lavin & Gray, 2016) for 3×3 convolutions with stride 1 and dilation 1:
// each 2×2 output tile is Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A over its 4×4 input patch d, so a tile
// costs 16 multiplies per (input, output) channel pair instead of 36. The 16 products are 16
// GEMMs: M_ξ (Cout × tiles) = U_ξ (Cout × C, the transformed weights, packed once by the caller)
// · V_ξ (C × tiles, the transformed input). Tiles go in blocks of whole tile rows so V and M stay
// small (the caller sizes the workspace with winograd_workspace_floats).
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]      Aᵀ = [1 1 1 0; 0 1 −1 −1]
// Index ξ = 4·i + j for row i, column j of the 4×4 transformed tile.

#define WINO_TILES 128

// Tiles per block: whole rows of tw tiles, about WINO_TILES of them.
static inline i32 wino_block_rows(i32 tw) { return WINO_TILES / tw > 0 ? WINO_TILES / tw : 1; }

// The transformed weights U_ξ = (G g Gᵀ)_ξ for the filters w[m][c] (3×3 each, m < M, c < C),
// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]: u holds the 16 matrices one after another, M × C each.
// Computed in double and rounded once, in the order of the TypeScript reference
// (../kernels/conv2d.ts winogradWeights), so the two agree bit for bit.
EXPORT("winograd_weights")
void winograd_weights(const f32 *w, i32 M, i32 C, f32 *u) {
  const i32 size = M * C;
  for (i32 at = 0; at < size; at++) {
    const f32 *g = w + at * 9;
    const double a0 = g[0], a1 = g[1], a2 = g[2], b0 = g[3], b1 = g[4], b2 = g[5];
    const double c0 = g[6], c1 = g[7], c2 = g[8];
    // t = G·g: the rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2; U = t·Gᵀ does the same to
    // each row of t.
    const double t[4][3] = {{a0, a1, a2},
                            {(a0 + b0 + c0) / 2, (a1 + b1 + c1) / 2, (a2 + b2 + c2) / 2},
                            {(a0 - b0 + c0) / 2, (a1 - b1 + c1) / 2, (a2 - b2 + c2) / 2},
                            {c0, c1, c2}};
    for (i32 r = 0; r < 4; r++) {
      const double x0 = t[r][0], x1 = t[r][1], x2 = t[r][2];
      f32 *o = u + 4 * r * size + at;
      o[0] = (f32)x0;
      o[size] = (f32)((x0 + x1 + x2) / 2);
      o[2 * size] = (f32)((x0 - x1 + x2) / 2);
      o[3 * size] = (f32)x2;
    }
  }
}

EXPORT("winograd_workspace_floats")
i32 winograd_workspace_floats(i32 channels, i32 M, i32 out_h, i32 out_w) {
  const i32 tw = (out_w + 1) / 2, th = (out_h + 1) / 2;
  const i32 rows = min_i32(wino_block_rows(tw), th);
  return 16 * (channels + M) * rows * tw;
}

// V_ξ[c·ld + t] for the 4×4 patch whose top-left input pixel is (iy, ix) of channel plane p.
static inline void wino_input_scalar(const f32 *p, i32 H, i32 W, i32 iy, i32 ix, f32 *v, i32 ld,
                                     i32 plane_stride) {
  f32 d[4][4];
  for (i32 r = 0; r < 4; r++)
    for (i32 c = 0; c < 4; c++) {
      const i32 y = iy + r, x = ix + c;
      d[r][c] = (u32)y < (u32)H && (u32)x < (u32)W ? p[y * W + x] : 0.0f;
    }
  f32 t[4][4];
  for (i32 c = 0; c < 4; c++) {
    t[0][c] = d[0][c] - d[2][c];
    t[1][c] = d[1][c] + d[2][c];
    t[2][c] = d[2][c] - d[1][c];
    t[3][c] = d[1][c] - d[3][c];
  }
  for (i32 r = 0; r < 4; r++) {
    v[(4 * r + 0) * plane_stride] = t[r][0] - t[r][2];
    v[(4 * r + 1) * plane_stride] = t[r][1] + t[r][2];
    v[(4 * r + 2) * plane_stride] = t[r][2] - t[r][1];
    v[(4 * r + 3) * plane_stride] = t[r][1] - t[r][3];
  }
  (void)ld;
}

// The same for four tiles side by side (input columns ix .. ix + 9, all inside the row), one
// tile per lane: the four columns of each patch row come from two or three vector loads.
static inline void wino_input_x4(const f32 *p, i32 W, i32 iy, i32 ix, f32 *v, i32 plane_stride,
                                 const i32 rows_in[4]) {
  v128_t d[4][4];
  for (i32 r = 0; r < 4; r++) {
    if (!rows_in[r]) {
      for (i32 c = 0; c < 4; c++) d[r][c] = wasm_f32x4_splat(0.0f);
      continue;
    }
    const f32 *row = p + (iy + r) * W + ix;
    const v128_t a = wasm_v128_load(row), b = wasm_v128_load(row + 4);
    const v128_t e = wasm_v128_load32_zero(row + 8);
    const v128_t e9 = wasm_v128_load32_zero(row + 9);
    d[r][0] = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6);
    d[r][1] = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
    d[r][2] = wasm_i32x4_shuffle(d[r][0], e, 1, 2, 3, 4);
    d[r][3] = wasm_i32x4_shuffle(d[r][1], e9, 1, 2, 3, 4);
  }
  v128_t t[4][4];
  for (i32 c = 0; c < 4; c++) {
    t[0][c] = wasm_f32x4_sub(d[0][c], d[2][c]);
    t[1][c] = wasm_f32x4_add(d[1][c], d[2][c]);
    t[2][c] = wasm_f32x4_sub(d[2][c], d[1][c]);
    t[3][c] = wasm_f32x4_sub(d[1][c], d[3][c]);
  }
  for (i32 r = 0; r < 4; r++) {
    wasm_v128_store(v + (4 * r + 0) * plane_stride, wasm_f32x4_sub(t[r][0], t[r][2]));
    wasm_v128_store(v + (4 * r + 1) * plane_stride, wasm_f32x4_add(t[r][1], t[r][2]));
    wasm_v128_store(v + (4 * r + 2) * plane_stride, wasm_f32x4_sub(t[r][2], t[r][1]));
    wasm_v128_store(v + (4 * r + 3) * plane_stride, wasm_f32x4_sub(t[r][1], t[r][3]));
  }
}

// Y = Aᵀ m A + bias (then the ReLU) for four tiles side by side, one per lane: m_ξ for tile k at
// m[ξ·m_stride + k]; the tiles' 2×2 outputs interleave into 8 consecutive columns of each row.
static inline void wino_output_x4(const f32 *m, i32 m_stride, f32 bias, i32 act, f32 *out,
                                  i32 out_w, i32 second_row) {
  v128_t mm[16];
  for (i32 xi = 0; xi < 16; xi++) mm[xi] = wasm_v128_load(m + xi * m_stride);
  const v128_t bv = wasm_f32x4_splat(bias);
  for (i32 r = 0; r < 2; r++) {
    if (r == 1 && !second_row) break;
    v128_t s[4];
    for (i32 j = 0; j < 4; j++)
      s[j] = r == 0 ? wasm_f32x4_add(wasm_f32x4_add(mm[j], mm[4 + j]), mm[8 + j])
                    : wasm_f32x4_sub(wasm_f32x4_sub(mm[4 + j], mm[8 + j]), mm[12 + j]);
    v128_t y0 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(s[0], s[1]), s[2]), bv);
    v128_t y1 = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_sub(s[1], s[2]), s[3]), bv);
    y0 = act4(y0, act);
    y1 = act4(y1, act);
    f32 *row = out + r * out_w;
    wasm_v128_store(row, wasm_i32x4_shuffle(y0, y1, 0, 4, 1, 5));
    wasm_v128_store(row + 4, wasm_i32x4_shuffle(y0, y1, 2, 6, 3, 7));
  }
}

// out (M × out_h × out_w) = conv3×3(x) with the transformed weights: u_table holds the 16
// packed-A matrices' addresses (U_ξ, M × channels each). Bias per output channel, then the ReLU.
// ws: winograd_workspace_floats(...) floats; gemm_ws: gemm_workspace_floats() floats.
EXPORT("winograd_conv3x3")
void winograd_conv3x3(const f32 *x, i32 channels, i32 in_h, i32 in_w, i32 pad_h, i32 pad_w,
                      i32 out_h, i32 out_w, const u32 *u_table, i32 M, f32 *out,
                      const f32 *row_bias, i32 act, f32 *ws, f32 *gemm_ws) {
  const i32 tw = (out_w + 1) / 2, th = (out_h + 1) / 2;
  const i32 block_rows = min_i32(wino_block_rows(tw), th);
  const i32 ld = block_rows * tw;  // columns of every V_ξ and M_ξ
  f32 *V = ws, *Mx = ws + 16 * channels * ld;
  const i32 v_stride = channels * ld, m_stride = M * ld;
  for (i32 ty0 = 0; ty0 < th; ty0 += block_rows) {
    const i32 rows = min_i32(block_rows, th - ty0), nt = rows * tw;
    // Input transform: V_ξ[c, t] for the block's tiles t (row-major within the block).
    for (i32 c = 0; c < channels; c++) {
      const f32 *plane = x + c * in_h * in_w;
      for (i32 r = 0; r < rows; r++) {
        const i32 iy = 2 * (ty0 + r) - pad_h;
        const i32 rows_in[4] = {(u32)iy < (u32)in_h, (u32)(iy + 1) < (u32)in_h,
                                (u32)(iy + 2) < (u32)in_h, (u32)(iy + 3) < (u32)in_h};
        f32 *v = V + c * ld + r * tw;
        i32 tx = 0;
        for (; tx + 4 <= tw; tx += 4) {
          const i32 ix = 2 * tx - pad_w;
          // Lanes read input columns ix .. ix + 9 (the last load reads one float at ix + 9).
          if (ix >= 0 && ix + 10 <= in_w)
            wino_input_x4(plane, in_w, iy, ix, v + tx, v_stride, rows_in);
          else
            for (i32 l = 0; l < 4; l++)
              wino_input_scalar(plane, in_h, in_w, iy, ix + 2 * l, v + tx + l, ld, v_stride);
        }
        for (; tx < tw; tx++) wino_input_scalar(plane, in_h, in_w, iy, 2 * tx - pad_w, v + tx, ld, v_stride);
      }
    }
    // The 16 products.
    for (i32 xi = 0; xi < 16; xi++)
      sgemm(M, nt, channels, (const f32 *)u_table[xi], 1, 0, 0, V + xi * v_stride, 0, ld, 1,
            Mx + xi * m_stride, ld, 0, 0, 0, 0, gemm_ws);
    // Output transform, bias and ReLU, into the output plane of each channel.
    for (i32 co = 0; co < M; co++) {
      const f32 b = row_bias ? row_bias[co] : 0.0f;
      f32 *plane = out + co * out_h * out_w;
      const f32 *m = Mx + co * ld;
      for (i32 t = 0; t < nt; t++) {
        const i32 oy = 2 * (ty0 + t / tw), ox = 2 * (t % tw);
        // Four tiles of one tile row at once, when their 8 output columns lie inside the row.
        if (t % tw + 4 <= tw && ox + 8 <= out_w) {
          wino_output_x4(m + t, m_stride, b, act, plane + oy * out_w + ox, out_w, oy + 1 < out_h);
          t += 3;
          continue;
        }
        f32 mm[16];
        for (i32 xi = 0; xi < 16; xi++) mm[xi] = m[xi * m_stride + t];
        f32 s[2][4];
        for (i32 j = 0; j < 4; j++) {
          s[0][j] = mm[j] + mm[4 + j] + mm[8 + j];
          s[1][j] = mm[4 + j] - mm[8 + j] - mm[12 + j];
        }
        for (i32 r = 0; r < 2; r++) {
          if (oy + r >= out_h) break;
          f32 y0 = s[r][0] + s[r][1] + s[r][2] + b;
          f32 y1 = s[r][1] - s[r][2] - s[r][3] + b;
          y0 = act1(y0, act);
          y1 = act1(y1, act);
          plane[(oy + r) * out_w + ox] = y0;
          if (ox + 1 < out_w) plane[(oy + r) * out_w + ox + 1] = y1;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Max pooling, values only (the engine computes the argmax in TypeScript when someone asks).
// Padding never wins: only taps inside the input are read. f32x4.max lets NaN win, as PyTorch
// does. For each output row and tap, the outputs whose tap is inside the input form one range
// [lo, hi) (as in im2col); four outputs at a time read the input at the window stride.

// The outputs o in [0, out) whose tap o·stride + offset falls inside [0, in).
static void tap_range(i32 offset, i32 stride, i32 in, i32 out, i32 *lo, i32 *hi) {
  i32 l = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  i32 h = in - 1 - offset < 0 ? 0 : (in - 1 - offset) / stride + 1;
  if (h > out) h = out;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

NOINLINE static void max_pool_row(const f32 *plane, i32 in_h, i32 in_w, i32 k_h, i32 k_w,
                                  i32 s_w, i32 d_h, i32 d_w, i32 pad_w, i32 ih0, i32 out_w,
                                  f32 *out) {
  const v128_t neg_inf = wasm_f32x4_splat(-__builtin_inff());
  i32 ow = 0;
  for (; ow + 4 <= out_w; ow += 4) wasm_v128_store(out + ow, neg_inf);
  for (; ow < out_w; ow++) out[ow] = -__builtin_inff();
  for (i32 kh = 0; kh < k_h; kh++) {
    const i32 ih = ih0 + kh * d_h;
    if ((u32)ih >= (u32)in_h) continue;
    const f32 *row = plane + ih * in_w;
    for (i32 kw = 0; kw < k_w; kw++) {
      const i32 offset = kw * d_w - pad_w;
      i32 lo, hi;
      tap_range(offset, s_w, in_w, out_w, &lo, &hi);
      const f32 *src = row + offset;
      i32 o = lo;
      if (s_w == 1) {
        for (; o + 4 <= hi; o += 4)
          wasm_v128_store(out + o, wasm_f32x4_max(wasm_v128_load(out + o), wasm_v128_load(src + o)));
      } else if (s_w == 2) {
        // Lanes 2o .. 2o + 7 hold the four taps; the last load must stay inside the row.
        for (; o + 4 <= hi && offset + 2 * o + 8 <= in_w; o += 4) {
          const v128_t a = wasm_v128_load(src + 2 * o), b = wasm_v128_load(src + 2 * o + 4);
          const v128_t v = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6);
          wasm_v128_store(out + o, wasm_f32x4_max(wasm_v128_load(out + o), v));
        }
      }
      for (; o < hi; o++) {
        const f32 v = src[o * s_w], b = out[o];
        out[o] = v > b || __builtin_isnan(v) ? v : b;
      }
    }
  }
}

// out (planes × out_h × out_w) = max pooling of x (planes × in_h × in_w).
EXPORT("max_pool2d")
void max_pool2d(const f32 *x, i32 planes, i32 in_h, i32 in_w, i32 k_h, i32 k_w, i32 s_h, i32 s_w,
                i32 pad_h, i32 pad_w, i32 d_h, i32 d_w, i32 out_h, i32 out_w, f32 *out) {
  for (i32 p = 0; p < planes; p++) {
    const f32 *plane = x + p * in_h * in_w;
    for (i32 oh = 0; oh < out_h; oh++)
      max_pool_row(plane, in_h, in_w, k_h, k_w, s_w, d_h, d_w, pad_w, oh * s_h - pad_h, out_w,
                   out + (p * out_h + oh) * out_w);
  }
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution (one input channel per group, `multiplier` outputs per channel): as a
// GEMM each group is a product with K = KH·KW and one row, too thin for the micro-kernel, so it
// runs directly, one output row at a time.
//
// Square 3×3 and 5×5 kernels with stride 1 or 2 and no dilation (MobileNet's, EfficientNet's,
// YOLO heads') take row kernels specialized for the kernel size and stride: eight outputs at a
// time are accumulated over all K·K taps in two registers, starting from the bias, and the
// activation is applied before the one store, so each output is written once. Stride 2 reads
// eight consecutive inputs per tap and keeps the even lanes. The outputs whose taps reach into
// the padding (the first and last columns) take a scalar loop. Other kernels take the generic
// loop: each output row accumulated tap by tap, four outputs at a time, over the range of outputs
// whose tap is inside the input (tap_range), then the activation.

#define DW_MAX_KW 64

// One output of the specialized row kernels, taps outside the input skipped.
static inline f32 dw_point(const f32 *const *rows, i32 k, const f32 *w, f32 b, i32 in_w, i32 ix0) {
  f32 acc = b;
  for (i32 kh = 0; kh < k; kh++) {
    const f32 *r = rows[kh];
    if (!r) continue;
    for (i32 kw = 0; kw < k; kw++) {
      const i32 ix = ix0 + kw;
      if ((u32)ix < (u32)in_w) acc += w[kh * k + kw] * r[ix];
    }
  }
  return acc;
}

// Four outputs' inputs for one tap: p[0], p[S], p[2S], p[3S] (stride 2: p[0..8) read, even lanes kept).
#define DW_LOAD_1(p) wasm_v128_load(p)
#define DW_LOAD_2(p) wasm_i32x4_shuffle(wasm_v128_load(p), wasm_v128_load((p) + 4), 0, 2, 4, 6)

// dst[0..out_w) = act(b + Σ taps) for one output row; rows[kh] is the input row of tap row kh, or 0
// when it lies in the padding. A 4-output block starting at input column x reads x .. x + REACH − 1.
#define DEFINE_DW_ROW(K, S)                                                                        \
  NOINLINE static void dw_row_##K##x##K##_s##S(const f32 *const *rows, const f32 *w, f32 b,        \
                                                i32 in_w, i32 out_w, i32 pad_w, i32 act,          \
                                                f32 *dst) {                                       \
    const i32 reach = S == 1 ? K + 3 : K + 7;                                                     \
    const v128_t bv = wasm_f32x4_splat(b);                                                        \
    i32 ow = 0;                                                                                   \
    for (; ow < out_w && ow * S < pad_w; ow++)                                                    \
      dst[ow] = act1(dw_point(rows, K, w, b, in_w, ow * S - pad_w), act);                         \
    for (; ow + 8 <= out_w && ow * S - pad_w + 4 * S + reach <= in_w; ow += 8) {                  \
      v128_t a0 = bv, a1 = bv;                                                                    \
      for (i32 kh = 0; kh < K; kh++) {                                                            \
        if (!rows[kh]) continue;                                                                  \
        const f32 *r = rows[kh] + ow * S - pad_w;                                                 \
        for (i32 kw = 0; kw < K; kw++) {                                                          \
          const v128_t wv = wasm_v128_load32_splat(w + kh * K + kw);                              \
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wv, DW_LOAD_##S(r + kw)));                       \
          a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wv, DW_LOAD_##S(r + kw + 4 * S)));               \
        }                                                                                         \
      }                                                                                           \
      wasm_v128_store(dst + ow, act4(a0, act));                                                   \
      wasm_v128_store(dst + ow + 4, act4(a1, act));                                               \
    }                                                                                             \
    for (; ow + 4 <= out_w && ow * S - pad_w + reach <= in_w; ow += 4) {                          \
      v128_t a0 = bv;                                                                             \
      for (i32 kh = 0; kh < K; kh++) {                                                            \
        if (!rows[kh]) continue;                                                                  \
        const f32 *r = rows[kh] + ow * S - pad_w;                                                 \
        for (i32 kw = 0; kw < K; kw++)                                                            \
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load32_splat(w + kh * K + kw),         \
                                                 DW_LOAD_##S(r + kw)));                           \
      }                                                                                           \
      wasm_v128_store(dst + ow, act4(a0, act));                                                   \
    }                                                                                             \
    for (; ow < out_w; ow++) dst[ow] = act1(dw_point(rows, K, w, b, in_w, ow * S - pad_w), act);  \
  }

DEFINE_DW_ROW(3, 1)
DEFINE_DW_ROW(3, 2)
DEFINE_DW_ROW(5, 1)
DEFINE_DW_ROW(5, 2)

typedef void (*dw_row_fn)(const f32 *const *, const f32 *, f32, i32, i32, i32, i32, f32 *);

static dw_row_fn dw_row_kernel(i32 k_h, i32 k_w, i32 s_h, i32 s_w, i32 d_h, i32 d_w) {
  if (k_h != k_w || d_h != 1 || d_w != 1 || s_h != s_w) return 0;
  if (k_w == 3) return s_w == 1 ? dw_row_3x3_s1 : s_w == 2 ? dw_row_3x3_s2 : 0;
  if (k_w == 5) return s_w == 1 ? dw_row_5x5_s1 : s_w == 2 ? dw_row_5x5_s2 : 0;
  return 0;
}

// The generic loop for one output row: bias, the taps, then the activation.
NOINLINE static void dw_row_generic(const f32 *plane, i32 in_h, i32 in_w, i32 k_h, i32 k_w,
                                    i32 s_h, i32 s_w, i32 pad_h, i32 pad_w, i32 d_h, i32 d_w,
                                    i32 out_w, i32 oh, const i32 *col_lo, const i32 *col_hi,
                                    const f32 *tap_w, f32 b, i32 act, f32 *dst) {
  i32 ow = 0;
  for (; ow + 4 <= out_w; ow += 4) wasm_v128_store(dst + ow, wasm_f32x4_splat(b));
  for (; ow < out_w; ow++) dst[ow] = b;
  for (i32 kh = 0; kh < k_h; kh++) {
    const i32 ih = oh * s_h - pad_h + kh * d_h;
    if ((u32)ih >= (u32)in_h) continue;
    const f32 *row = plane + ih * in_w;
    for (i32 kw = 0; kw < k_w; kw++) {
      const f32 wt = tap_w[kh * k_w + kw];
      const v128_t wv = wasm_f32x4_splat(wt);
      const i32 offset = kw * d_w - pad_w, hi = col_hi[kw];
      const f32 *src = row + offset;
      i32 o = col_lo[kw];
      if (s_w == 1) {
        for (; o + 4 <= hi; o += 4)
          wasm_v128_store(dst + o, wasm_f32x4_add(wasm_v128_load(dst + o),
                                                  wasm_f32x4_mul(wv, wasm_v128_load(src + o))));
      } else if (s_w == 2) {
        for (; o + 4 <= hi && offset + 2 * o + 8 <= in_w; o += 4) {
          const v128_t a = wasm_v128_load(src + 2 * o), c = wasm_v128_load(src + 2 * o + 4);
          const v128_t v = wasm_i32x4_shuffle(a, c, 0, 2, 4, 6);
          wasm_v128_store(dst + o, wasm_f32x4_add(wasm_v128_load(dst + o), wasm_f32x4_mul(wv, v)));
        }
      }
      for (; o < hi; o++) dst[o] += wt * src[o * s_w];
    }
  }
  if (act) {
    for (ow = 0; ow + 4 <= out_w; ow += 4) wasm_v128_store(dst + ow, act4(wasm_v128_load(dst + ow), act));
    for (; ow < out_w; ow++) dst[ow] = act1(dst[ow], act);
  }
}

// Small planes (MobileNet's 7×7 and 14×14): a row kernel on the plane as it is would leave a third
// of each row to the scalar edge loop. Instead each input plane is copied once into dw_plane with
// its padding written as zeros and slack on the right, so that every output, rounded up to whole
// blocks of eight, takes the vector loop; dw_row holds the rounded row until the real outputs are
// copied out.
#define DW_SMALL_OUT_W 32
#define DW_PLANE_FLOATS 8192
static f32 dw_plane[DW_PLANE_FLOATS] __attribute__((aligned(16)));
static f32 dw_row[DW_SMALL_OUT_W + 8] __attribute__((aligned(16)));

// The padded plane's row width for outputs rounded up to `blocks8` floats (see DEFINE_DW_ROW's reach).
static inline i32 dw_padded_width(i32 rounded_w, i32 k, i32 s) { return rounded_w * s + k + 8; }

static i32 dw_small_plane_fits(i32 in_h, i32 out_w, i32 k, i32 s, i32 pad_h) {
  if (out_w > DW_SMALL_OUT_W) return 0;
  const i32 rounded = (out_w + 7) & ~7;
  return (in_h + 2 * pad_h + k) * dw_padded_width(rounded, k, s) <= DW_PLANE_FLOATS;
}

NOINLINE static void dw_small_plane(const f32 *plane, i32 in_h, i32 in_w, i32 k, i32 s, i32 pad_h,
                                    i32 pad_w, i32 out_h, i32 out_w, dw_row_fn row_kernel,
                                    const f32 *w, const f32 *bias, i32 co0, i32 multiplier,
                                    i32 act, f32 *out) {
  const i32 rounded = (out_w + 7) & ~7, pw = dw_padded_width(rounded, k, s);
  // Rows read: up to (out_h − 1)·s + k − 1 of the padded plane; all of them are written here.
  const i32 ph = (out_h - 1) * s + k;
  for (i32 r = 0; r < ph; r++) {
    f32 *dst = dw_plane + r * pw;
    const i32 ih = r - pad_h;
    if ((u32)ih >= (u32)in_h) {
      for (i32 i = 0; i < pw; i++) dst[i] = 0.0f;
      continue;
    }
    const f32 *src = plane + ih * in_w;
    i32 i = 0;
    for (; i < pad_w && i < pw; i++) dst[i] = 0.0f;
    for (i32 j = 0; j < in_w && i < pw; j++, i++) dst[i] = src[j];
    for (; i < pw; i++) dst[i] = 0.0f;
  }
  const f32 *rows[5];
  for (i32 m = 0; m < multiplier; m++) {
    const i32 co = co0 + m;
    const f32 b = bias ? bias[co] : 0.0f;
    for (i32 oh = 0; oh < out_h; oh++) {
      for (i32 kh = 0; kh < k; kh++) rows[kh] = dw_plane + (oh * s + kh) * pw;
      row_kernel(rows, w + co * k * k, b, pw, rounded, 0, act, dw_row);
      f32 *dst = out + (co * out_h + oh) * out_w;
      for (i32 i = 0; i < out_w; i++) dst[i] = dw_row[i];
    }
  }
}

// out (channels·multiplier × out_h × out_w) = act(depthwise conv of x + bias); bias may be 0.
EXPORT("depthwise_conv2d")
void depthwise_conv2d(const f32 *x, i32 channels, i32 multiplier, i32 in_h, i32 in_w, i32 k_h,
                      i32 k_w, i32 s_h, i32 s_w, i32 pad_h, i32 pad_w, i32 d_h, i32 d_w,
                      i32 out_h, i32 out_w, const f32 *w, const f32 *bias, i32 act, f32 *out) {
  if (k_w > DW_MAX_KW) return;  // checked by the caller
  const dw_row_fn row_kernel = dw_row_kernel(k_h, k_w, s_h, s_w, d_h, d_w);
  // Output columns reading each kernel column, the same for every row and channel.
  i32 col_lo[DW_MAX_KW], col_hi[DW_MAX_KW];
  for (i32 kw = 0; kw < k_w; kw++)
    tap_range(kw * d_w - pad_w, s_w, in_w, out_w, &col_lo[kw], &col_hi[kw]);
  if (row_kernel && dw_small_plane_fits(in_h, out_w, k_h, s_h, pad_h)) {
    for (i32 c = 0; c < channels; c++)
      dw_small_plane(x + c * in_h * in_w, in_h, in_w, k_h, s_h, pad_h, pad_w, out_h, out_w,
                     row_kernel, w, bias, c * multiplier, multiplier, act, out);
    return;
  }
  const f32 *rows[5];
  const i32 taps = k_h * k_w;
  for (i32 co = 0; co < channels * multiplier; co++) {
    const f32 *plane = x + (co / multiplier) * in_h * in_w;
    const f32 *tap_w = w + co * taps;
    const f32 b = bias ? bias[co] : 0.0f;
    for (i32 oh = 0; oh < out_h; oh++) {
      f32 *dst = out + (co * out_h + oh) * out_w;
      if (row_kernel) {
        for (i32 kh = 0; kh < k_h; kh++) {
          const i32 ih = oh * s_h - pad_h + kh;
          rows[kh] = (u32)ih < (u32)in_h ? plane + ih * in_w : 0;
        }
        row_kernel(rows, tap_w, b, in_w, out_w, pad_w, act, dst);
      } else {
        dw_row_generic(plane, in_h, in_w, k_h, k_w, s_h, s_w, pad_h, pad_w, d_h, d_w, out_w, oh,
                       col_lo, col_hi, tap_w, b, act, dst);
      }
    }
  }
}

EXPORT("depthwise_max_kernel_width") i32 depthwise_max_kernel_width(void) { return DW_MAX_KW; }

// ---------------------------------------------------------------------------------------------
// Elementwise passes over activations that live in this memory (the preview keeps every layer's
// output, so batch normalization, ReLU and residual sums run as layers of their own). One load,
// one or two vector operations and one store per four floats: memory-bound, where the scalar
// JavaScript loops were not. ReLU is f32x4.pmax(x, 0): x < 0 ? 0 : x, so NaN stays NaN, as in
// PyTorch (and in the GEMM's fused ReLU).

static inline v128_t relu4(v128_t v) { return wasm_f32x4_pmax(v, wasm_f32x4_splat(0.0f)); }

// out[p·plane + i] = x[p·plane + i]·scale[p % channels] + shift[p % channels] for p < planes,
// i < plane (an inference batch normalization over NCHW: planes = N·C), then the activation `act`.
// out may be x.
EXPORT("channel_affine")
void channel_affine(const f32 *x, i32 planes, i32 plane, i32 channels, const f32 *scale,
                    const f32 *shift, i32 act, f32 *out) {
  for (i32 p = 0; p < planes; p++) {
    const i32 c = p % channels;
    const f32 s = scale[c], t = shift[c];
    const v128_t sv = wasm_f32x4_splat(s), tv = wasm_f32x4_splat(t);
    const f32 *src = x + p * plane;
    f32 *dst = out + p * plane;
    i32 i = 0;
    for (; i + 4 <= plane; i += 4) {
      v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(src + i), sv), tv);
      wasm_v128_store(dst + i, act4(v, act));
    }
    for (; i < plane; i++) {
      const f32 v = src[i] * s + t;
      dst[i] = act1(v, act);
    }
  }
}

// out[i] = min(max(x[i], 0), 6) (NaN stays NaN); out may be x.
EXPORT("relu6_f32")
void relu6_f32(const f32 *x, i32 n, f32 *out) {
  i32 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, act4(wasm_v128_load(x + i), ACT_RELU6));
  for (; i < n; i++) out[i] = act1(x[i], ACT_RELU6);
}

// out[i] = max(x[i], 0) (NaN stays NaN); out may be x.
EXPORT("relu_f32")
void relu_f32(const f32 *x, i32 n, f32 *out) {
  i32 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, relu4(wasm_v128_load(x + i)));
  for (; i < n; i++) out[i] = x[i] < 0.0f ? 0.0f : x[i];
}

// out[i] = a[i] + b[i], then the activation `act`; out may be a or b.
EXPORT("add_f32")
void add_f32(const f32 *a, const f32 *b, i32 n, i32 act, f32 *out) {
  i32 i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_f32x4_add(wasm_v128_load(a + i), wasm_v128_load(b + i));
    wasm_v128_store(out + i, act4(v, act));
  }
  for (; i < n; i++) {
    const f32 v = a[i] + b[i];
    out[i] = act1(v, act);
  }
}

// ---------------------------------------------------------------------------------------------
// The engine's random initialization, drawn where the packers read it: U(−bound, bound) from
// xoshiro128** with the state state[0..3] (advanced in place, so bands continue the stream), as
// ../rng.ts fillUniformStream computes it, bit for bit: the top 24 bits over 2^24, scaled in
// double, rounded once to float.
EXPORT("fill_uniform")
void fill_uniform(f32 *out, i32 n, double bound, u32 *state) {
  u32 s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (i32 i = 0; i < n; i++) {
    const u32 x = s1 * 5u;
    const u32 result = ((x << 7) | (x >> 25)) * 9u;
    const u32 t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    out[i] = (f32)((2.0 * ((double)(result >> 8) / 16777216.0) - 1.0) * bound);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

// ---------------------------------------------------------------------------------------------
// The preview's heatmap statistics: for each of `planes` planes of `plane` floats, the least and
// the greatest value with NaN skipped (+∞ and −∞ when a plane holds nothing else) and the count of
// values ≠ 0 (NaN counts). f32x4.pmin(a, b) is b < a ? b : a, so a NaN never replaces the running
// value, as in the scalar loop `if (v < min) min = v` (webview/preview/stats.ts planeStats). Which
// of −0 and +0 a plane of zeros reports can differ from that loop (lanes compare separately).
EXPORT("plane_stats")
void plane_stats(const f32 *x, i32 planes, i32 plane, f32 *mins, f32 *maxs, u32 *nonzero) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (i32 p = 0; p < planes; p++) {
    const f32 *src = x + p * plane;
    v128_t lo = wasm_f32x4_splat(__builtin_inff()), hi = wasm_f32x4_splat(-__builtin_inff());
    v128_t count = wasm_i32x4_splat(0);
    i32 i = 0;
    for (; i + 4 <= plane; i += 4) {
      const v128_t v = wasm_v128_load(src + i);
      lo = wasm_f32x4_pmin(lo, v);
      hi = wasm_f32x4_pmax(hi, v);
      count = wasm_i32x4_sub(count, wasm_f32x4_ne(v, zero)); // a true lane is −1
    }
    f32 l = wasm_f32x4_extract_lane(lo, 0), h = wasm_f32x4_extract_lane(hi, 0);
    const f32 l1 = wasm_f32x4_extract_lane(lo, 1), l2 = wasm_f32x4_extract_lane(lo, 2), l3 = wasm_f32x4_extract_lane(lo, 3);
    const f32 h1 = wasm_f32x4_extract_lane(hi, 1), h2 = wasm_f32x4_extract_lane(hi, 2), h3 = wasm_f32x4_extract_lane(hi, 3);
    if (l1 < l) l = l1;
    if (l2 < l) l = l2;
    if (l3 < l) l = l3;
    if (h1 > h) h = h1;
    if (h2 > h) h = h2;
    if (h3 > h) h = h3;
    u32 n = (u32)(wasm_i32x4_extract_lane(count, 0) + wasm_i32x4_extract_lane(count, 1) +
                  wasm_i32x4_extract_lane(count, 2) + wasm_i32x4_extract_lane(count, 3));
    for (; i < plane; i++) {
      const f32 v = src[i];
      if (v < l) l = v;
      if (v > h) h = v;
      if (v != 0.0f) n++;
    }
    mins[p] = l;
    maxs[p] = h;
    nonzero[p] = n;
  }
}

extern unsigned char __heap_base;

// First byte past the stack and static data: the TypeScript heap starts here.
EXPORT("heap_base") u32 heap_base(void) { return (u32)&__heap_base; }
