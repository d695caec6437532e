;; A convolution's filter gradient as one matrix product over its K = batch·height·width rows:
;;   C[M, N] = Σ_k A[k, ·]ᵀ B[k, ·],  A = dy [K, M = out channels],
;;   B = the input's patches [K, N = fh·fw·in channels] (im2col), never stored whole.
;; (A dense Aᵀ·B is the 1×1 case: h = w = oh = ow = fh = fw = 1, c = N.)
;; `atb` walks rows [k0, k1) in blocks of kb: packs A's block in panels of 4 columns and B's in
;; panels of 8 (B straight from the input: its patches), multiplies every 4×8 tile of the block
;; in 8 vector accumulators, and adds C's float32 sums over at most foldRows rows to float64 totals [M, N], so long
;; reductions keep precision.
;; Nothing needs zeroing first: `atb` zeroes B's last panel once (its lanes past N are never
;; written), A's pack writes zeros past M, and the first products of a range are stored.
;; Several threads run `atb` on disjoint row ranges, each with its own scratch and totals.
;; Regenerate filter_grad_gemm_wasm.ts after editing: pnpm --filter @convnets/core gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $zero (param $p i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (local.get $bytes)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  ;; A's rows [k0, k0 + rows) of width m, in panels of 4: dst[panel][r][4], panel stride kb rows.
  (func $packA (param $a i32) (param $m i32) (param $k0 i32) (param $rows i32) (param $kb i32) (param $dst i32)
    (local $col i32) (local $r i32) (local $i i32) (local $s i32) (local $d i32) (local $ld i32)
    (local.set $ld (i32.shl (local.get $m) (i32.const 2)))
    (block $panels_done (loop $panels
      (br_if $panels_done (i32.ge_u (local.get $col) (local.get $m)))
      (local.set $s (i32.add (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $ld))) (i32.shl (local.get $col) (i32.const 2))))
      (local.set $d (local.get $dst))
      (local.set $r (i32.const 0))
      (if (i32.le_u (i32.add (local.get $col) (i32.const 4)) (local.get $m))
        (then (block $done4 (loop $rows4
          (br_if $done4 (i32.ge_u (local.get $r) (local.get $rows)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (local.get $ld)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rows4))))
        (else (block $done (loop $rowsPartial
          (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
          (local.set $i (i32.const 0))
          (block $lanes_done (loop $lanes
            (br_if $lanes_done (i32.ge_u (local.get $i) (i32.const 4)))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.lt_u (i32.add (local.get $col) (local.get $i)) (local.get $m))
                (then (f32.load (i32.add (local.get $s) (i32.shl (local.get $i) (i32.const 2)))))
                (else (f32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $lanes)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (local.get $ld)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rowsPartial)))))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kb) (i32.const 16))))
      (local.set $col (i32.add (local.get $col) (i32.const 4)))
      (br $panels))))

  ;; B's rows [k0, k0 + rows): row k = (image, i, j) is the patch under output pixel (i, j), in
  ;; (kh, kw, channel) order, zero where the window leaves the input; panels of 8, stride kb rows.
  (func $packB
    (param $x i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (param $k0 i32) (param $rows i32) (param $kb i32) (param $dst i32)
    (local $r i32) (local $i i32) (local $j i32) (local $img i32) (local $imgBytes i32) (local $panelBytes i32)
    (local $y0 i32) (local $x0 i32) (local $kh i32) (local $kw i32) (local $y i32) (local $xx i32)
    (local $valid i32) (local $src i32) (local $m i32) (local $ci i32) (local $d i32) (local $rowOff i32) (local $pixels i32)
    (local.set $imgBytes (i32.shl (i32.mul (i32.mul (local.get $h) (local.get $w)) (local.get $c)) (i32.const 2)))
    (local.set $panelBytes (i32.shl (local.get $kb) (i32.const 5)))
    (local.set $pixels (i32.mul (local.get $oh) (local.get $ow)))
    (local.set $img (i32.add (local.get $x) (i32.mul (i32.div_u (local.get $k0) (local.get $pixels)) (local.get $imgBytes))))
    (local.set $i (i32.div_u (i32.rem_u (local.get $k0) (local.get $pixels)) (local.get $ow)))
    (local.set $j (i32.rem_u (local.get $k0) (local.get $ow)))
    (block $rows_done (loop $rowsLoop
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $rowOff (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $y0 (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)))
      (local.set $x0 (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)))
      (local.set $m (i32.const 0))
      (local.set $kh (i32.const 0))
      (block $kh_done (loop $khLoop
        (br_if $kh_done (i32.ge_u (local.get $kh) (local.get $fh)))
        (local.set $y (i32.add (local.get $y0) (local.get $kh)))
        (local.set $kw (i32.const 0))
        (if (i32.eq (local.get $c) (i32.const 1))
          (then
            ;; one channel: the patch row is fw consecutive input values
            (local.set $valid (i32.lt_u (local.get $y) (local.get $h)))
            (local.set $src (i32.add (local.get $img)
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $w)) (local.get $x0)) (i32.const 2))))
            (local.set $d (i32.add (i32.add (local.get $rowOff) (i32.mul (i32.shr_u (local.get $m) (i32.const 3)) (local.get $panelBytes)))
              (i32.shl (i32.and (local.get $m) (i32.const 7)) (i32.const 2))))
            (block $one_done (loop $oneLoop
              (br_if $one_done (i32.ge_u (local.get $kw) (local.get $fw)))
              (f32.store (local.get $d)
                (if (result f32) (i32.and (local.get $valid) (i32.lt_u (i32.add (local.get $x0) (local.get $kw)) (local.get $w)))
                  (then (f32.load (local.get $src)))
                  (else (f32.const 0))))
              (local.set $src (i32.add (local.get $src) (i32.const 4)))
              (local.set $m (i32.add (local.get $m) (i32.const 1)))
              (local.set $d (i32.add (local.get $d)
                (select (i32.const 4) (i32.sub (local.get $panelBytes) (i32.const 28)) (i32.and (local.get $m) (i32.const 7)))))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $oneLoop)))))
        (block $kw_done (loop $kwLoop
          (br_if $kw_done (i32.ge_u (local.get $kw) (local.get $fw)))
          (local.set $xx (i32.add (local.get $x0) (local.get $kw)))
          (local.set $valid (i32.and (i32.lt_u (local.get $y) (local.get $h)) (i32.lt_u (local.get $xx) (local.get $w))))
          (local.set $src (i32.add (local.get $img)
            (i32.shl (i32.mul (i32.add (i32.mul (local.get $y) (local.get $w)) (local.get $xx)) (local.get $c)) (i32.const 2))))
          (local.set $ci (i32.const 0))
          (if (i32.eqz (i32.and (local.get $c) (i32.const 7)))
            (then
              ;; whole panels: m is a multiple of 8 here
              (local.set $d (i32.add (local.get $rowOff) (i32.mul (i32.shr_u (local.get $m) (i32.const 3)) (local.get $panelBytes))))
              (block $v_done (loop $vLoop
                (br_if $v_done (i32.ge_u (local.get $ci) (local.get $c)))
                (if (local.get $valid)
                  (then
                    (v128.store (local.get $d) (v128.load (local.get $src)))
                    (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $src))))
                  (else
                    (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
                    (v128.store offset=16 (local.get $d) (v128.const i32x4 0 0 0 0))))
                (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
                (local.set $src (i32.add (local.get $src) (i32.const 32)))
                (local.set $ci (i32.add (local.get $ci) (i32.const 8)))
                (br $vLoop)))
              (local.set $m (i32.add (local.get $m) (local.get $c))))
            (else
              ;; lane by lane, the store address following m across panels
              (local.set $d (i32.add (i32.add (local.get $rowOff) (i32.mul (i32.shr_u (local.get $m) (i32.const 3)) (local.get $panelBytes)))
                (i32.shl (i32.and (local.get $m) (i32.const 7)) (i32.const 2))))
              (block $s_done (loop $sLoop
                (br_if $s_done (i32.ge_u (local.get $ci) (local.get $c)))
                (f32.store (local.get $d)
                  (if (result f32) (local.get $valid)
                    (then (f32.load (local.get $src)))
                    (else (f32.const 0))))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))
                (local.set $d (i32.add (local.get $d)
                  (select (i32.const 4) (i32.sub (local.get $panelBytes) (i32.const 28)) (i32.and (local.get $m) (i32.const 7)))))
                (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
                (br $sLoop)))))
          (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
          (br $kwLoop)))
        (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
        (br $khLoop)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (if (i32.eq (local.get $j) (local.get $ow))
        (then
          (local.set $j (i32.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $i) (local.get $oh))
            (then
              (local.set $i (i32.const 0))
              (local.set $img (i32.add (local.get $img) (local.get $imgBytes)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsLoop))))

  ;; block[mPanels·4][nPanels·8] (row stride ldc bytes) = (or, with $accumulate, +=) the
  ;; products of the packed panels over `rows` rows (panel stride kb rows). rows ≥ 1.
  (func $gemm
    (param $pa i32) (param $pb i32) (param $block i32) (param $rows i32) (param $kb i32) (param $mPanels i32) (param $nPanels i32) (param $ldc i32)
    (param $accumulate i32)
    (local $np i32)
    (block $n_done (loop $n_panels
      (br_if $n_done (i32.ge_u (local.get $np) (local.get $nPanels)))
      (call $tiles (local.get $pa) (local.get $kb) (i32.add (local.get $pb) (i32.mul (i32.mul (local.get $np) (local.get $kb)) (i32.const 32)))
        (local.get $rows) (local.get $mPanels) (i32.add (local.get $block) (i32.shl (local.get $np) (i32.const 5))) (local.get $ldc) (local.get $accumulate))
      (local.set $np (i32.add (local.get $np) (i32.const 1)))
      (br $n_panels))))

  ;; include tiles_4x8.wat.inc

  ;; totals[i·n + j] (float64) += (or, without $add, =) block[i][j] for i < m, j < n.
  (func $addToTotals (param $block i32) (param $ldc i32) (param $totals i32) (param $m i32) (param $n i32) (param $add i32)
    (local $i i32) (local $j i32) (local $s i32) (local $t i32) (local $pairs i32)
    (local.set $pairs (i32.and (local.get $n) (i32.const -2)))
    (local.set $t (local.get $totals))
    (block $rows_done (loop $rowsLoop
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $s (i32.add (local.get $block) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $j (i32.const 0))
      (block $pairs_done (loop $pairsLoop
        (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
        (v128.store (local.get $t)
          (f64x2.add
            (if (result v128) (local.get $add) (then (v128.load (local.get $t))) (else (v128.const i32x4 0 0 0 0)))
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $s)))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairsLoop)))
      (if (i32.lt_u (local.get $j) (local.get $n))
        (then
          (f64.store (local.get $t)
            (f64.add
              (if (result f64) (local.get $add) (then (f64.load (local.get $t))) (else (f64.const 0)))
              (f64.promote_f32 (f32.load (local.get $s)))))
          (local.set $t (i32.add (local.get $t) (i32.const 8)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowsLoop))))

;; dst[i] += src[i], float64, for i < count.
  (func (export "addTotals") (param $dst i32) (param $src i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1))
      (then (f64.store (local.get $dst) (f64.add (f64.load (local.get $dst)) (f64.load (local.get $src)))))))

  ;; out[q·m + o] (float32) = totals[o·n + q] (float64): the filter in [fh, fw, c, m] order.
  ;; Eight rows of totals at a time, so each store run is 8 consecutive floats.
  (func (export "transposeOut") (param $totals i32) (param $out i32) (param $m i32) (param $n i32)
    (local $o0 i32) (local $o i32) (local $o1 i32) (local $q i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (block $tiles_done (loop $tiles
      (br_if $tiles_done (i32.ge_u (local.get $o0) (local.get $m)))
      (local.set $o1 (i32.add (local.get $o0) (i32.const 8)))
      (if (i32.gt_u (local.get $o1) (local.get $m)) (then (local.set $o1 (local.get $m))))
      (local.set $q (i32.const 0))
      (block $q_done (loop $qs
        (br_if $q_done (i32.ge_u (local.get $q) (local.get $n)))
        (local.set $o (local.get $o0))
        (block $o_done (loop $os
          (br_if $o_done (i32.ge_u (local.get $o) (local.get $o1)))
          (f32.store
            (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $m)) (local.get $o)) (i32.const 2)))
            (f32.demote_f64 (f64.load
              (i32.add (local.get $totals) (i32.add (i32.mul (local.get $o) (local.get $rowBytes)) (i32.shl (local.get $q) (i32.const 3)))))))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (br $os)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $qs)))
      (local.set $o0 (local.get $o1))
      (br $tiles))))

  ;; totals [m = dy's channels][n = fh·fw·c] = the products over rows [k0, k1), k0 < k1.
  ;; foldRows ≥ kb.
  (func (export "atb")
    (param $a i32) (param $m i32)
    (param $x i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (param $k0 i32) (param $k1 i32) (param $kb i32) (param $foldRows i32)
    (param $packedA i32) (param $packedB i32) (param $block i32) (param $totals i32)
    (local $n i32) (local $rows i32) (local $mPanels i32) (local $nPanels i32) (local $ldc i32) (local $inBlock i32) (local $folded i32)
    (local.set $n (i32.mul (i32.mul (local.get $fh) (local.get $fw)) (local.get $c)))
    (local.set $mPanels (i32.shr_u (i32.add (local.get $m) (i32.const 3)) (i32.const 2)))
    (local.set $nPanels (i32.shr_u (i32.add (local.get $n) (i32.const 7)) (i32.const 3)))
    (local.set $ldc (i32.shl (local.get $nPanels) (i32.const 5)))
    ;; the last B panel's lanes past n are never written: zero them once
    (if (i32.and (local.get $n) (i32.const 7))
      (then (call $zero
        (i32.add (local.get $packedB) (i32.mul (i32.sub (local.get $nPanels) (i32.const 1)) (i32.shl (local.get $kb) (i32.const 5))))
        (i32.shl (local.get $kb) (i32.const 5)))))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $k0) (local.get $k1)))
      (local.set $rows (i32.sub (local.get $k1) (local.get $k0)))
      (if (i32.gt_u (local.get $rows) (local.get $kb)) (then (local.set $rows (local.get $kb))))
      (call $packA (local.get $a) (local.get $m) (local.get $k0) (local.get $rows) (local.get $kb) (local.get $packedA))
      (call $packB (local.get $x) (local.get $h) (local.get $w) (local.get $c) (local.get $oh) (local.get $ow)
        (local.get $fh) (local.get $fw) (local.get $sh) (local.get $sw) (local.get $top) (local.get $left)
        (local.get $k0) (local.get $rows) (local.get $kb) (local.get $packedB))
      (call $gemm (local.get $packedA) (local.get $packedB) (local.get $block) (local.get $rows) (local.get $kb)
        (local.get $mPanels) (local.get $nPanels) (local.get $ldc) (local.get $inBlock))
      (local.set $k0 (i32.add (local.get $k0) (local.get $rows)))
      (local.set $inBlock (i32.add (local.get $inBlock) (local.get $rows)))
      ;; float32 sums of at most foldRows rows join the float64 totals
      (if (i32.or (i32.ge_u (local.get $inBlock) (local.get $foldRows)) (i32.ge_u (local.get $k0) (local.get $k1)))
        (then
          (call $addToTotals (local.get $block) (local.get $ldc) (local.get $totals) (local.get $m) (local.get $n) (local.get $folded))
          (local.set $folded (i32.const 1))
          (local.set $inBlock (i32.const 0))))
      (br $blocks)))))
