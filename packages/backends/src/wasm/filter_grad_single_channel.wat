;; Conv2DBackpropFilter of a first layer (one input channel), images [b0, b1):
;;   dW[ky, kx, 0, j] = sum over b, oy, ox of x[b, oy*sh + ky - top, ox*sw + kx - left] * dy[b, oy, ox, j]
;; All (at most 8) output channels at once in two f32x4 (one splat of x times a dy pixel), 4 pixels of a row
;; at once in separate accumulators. Each image is first copied into $img with its left and right
;; padding as zeros; rows above and below the image are skipped. Each row's sums join a float32
;; partial per weight; each image's partials join the float64 $totals, so the error does not grow
;; with the batch. Lanes past m read the next pixel's channels (or up to 28 bytes past dy) and
;; are never returned.
;; m <= 8. $img: h * $wp floats; $part: n floats; $totals: n float64; n = fh * fw * 8.
;; Regenerate filter_grad_single_channel_wasm.ts after editing: pnpm --filter @convnets/core gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "filterGradSingleChannel")
    (param $x i32) (param $dy i32) (param $h i32) (param $w i32) (param $oh i32) (param $ow i32) (param $m i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (param $b0 i32) (param $b1 i32) (param $img i32) (param $wp i32) (param $part i32) (param $totals i32)
    (local $b i32) (local $i i32) (local $j i32) (local $n i32) (local $col i32)
    (local $oy i32) (local $ky i32) (local $kx i32) (local $iy i32) (local $ox i32)
    (local $xRow i32) (local $dyRow i32) (local $xp i32) (local $dp i32) (local $pp i32) (local $ow4 i32)
    (local $pix i32) (local $pix2 i32) (local $pix3 i32) (local $xs i32) (local $xs2 i32) (local $xs3 i32)
    (local $s v128)
    (local $a0 v128) (local $a1 v128) (local $b0v v128) (local $b1v v128)
    (local $c0 v128) (local $c1 v128) (local $d0 v128) (local $d1 v128)
    (local.set $n (i32.shl (i32.mul (local.get $fh) (local.get $fw)) (i32.const 3)))
    (local.set $pix (i32.shl (local.get $m) (i32.const 2)))
    (local.set $pix2 (i32.shl (local.get $pix) (i32.const 1)))
    (local.set $pix3 (i32.add (local.get $pix2) (local.get $pix)))
    (local.set $xs (i32.shl (local.get $sw) (i32.const 2)))
    (local.set $xs2 (i32.shl (local.get $xs) (i32.const 1)))
    (local.set $xs3 (i32.add (local.get $xs2) (local.get $xs)))
    (local.set $ow4 (i32.and (local.get $ow) (i32.const -4)))
    ;; zero the partials and the totals
    (local.set $i (i32.const 0))
    (block $z_done (loop $zl
      (br_if $z_done (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $part) (i32.shl (local.get $i) (i32.const 2))) (f32.const 0))
      (f64.store (i32.add (local.get $totals) (i32.shl (local.get $i) (i32.const 3))) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $zl)))
    (local.set $b (local.get $b0))
    (block $b_done (loop $bl
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $b1)))
      ;; $img[iy, j] = x[b, iy, j - left], zero outside the image
      (local.set $i (i32.const 0))
      (block $p_done (loop $pl
        (br_if $p_done (i32.ge_u (local.get $i) (local.get $h)))
        (local.set $j (i32.const 0))
        (block $pj_done (loop $pjl
          (br_if $pj_done (i32.ge_u (local.get $j) (local.get $wp)))
          (local.set $col (i32.sub (local.get $j) (local.get $left)))
          (f32.store
            (i32.add (local.get $img) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $wp)) (local.get $j)) (i32.const 2)))
            (if (result f32) (i32.lt_u (local.get $col) (local.get $w))
              (then (f32.load (i32.add (local.get $x)
                (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $i)) (local.get $w)) (local.get $col)) (i32.const 2)))))
              (else (f32.const 0))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $pjl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pl)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oyl
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $oh)))
        (local.set $dyRow (i32.add (local.get $dy)
          (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $ow)) (local.get $pix))))
        (local.set $ky (i32.const 0))
        (block $ky_done (loop $kyl
          (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $fh)))
          (local.set $iy (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $sh)) (local.get $ky)) (local.get $top)))
          ;; unsigned: a row above the image is negative, so also >= h
          (if (i32.lt_u (local.get $iy) (local.get $h)) (then
            (local.set $xRow (i32.add (local.get $img) (i32.shl (i32.mul (local.get $iy) (local.get $wp)) (i32.const 2))))
              (local.set $kx (i32.const 0))
              (block $kx_done (loop $kxl
                (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $fw)))
                (local.set $a0 (v128.const f32x4 0 0 0 0)) (local.set $a1 (v128.const f32x4 0 0 0 0))
                (local.set $b0v (v128.const f32x4 0 0 0 0)) (local.set $b1v (v128.const f32x4 0 0 0 0))
                (local.set $c0 (v128.const f32x4 0 0 0 0)) (local.set $c1 (v128.const f32x4 0 0 0 0))
                (local.set $d0 (v128.const f32x4 0 0 0 0)) (local.set $d1 (v128.const f32x4 0 0 0 0))
                (local.set $xp (i32.add (local.get $xRow) (i32.shl (local.get $kx) (i32.const 2))))
                (local.set $dp (local.get $dyRow))
                (local.set $ox (i32.const 0))
                (block $q_done (loop $ql
                  (br_if $q_done (i32.ge_u (local.get $ox) (local.get $ow4)))
                  (local.set $s (v128.load32_splat (local.get $xp)))
                  (local.set $a0 (madd (local.get $s) (v128.load (local.get $dp)) (local.get $a0)))
                  (local.set $a1 (madd (local.get $s) (v128.load offset=16 (local.get $dp)) (local.get $a1)))
                  (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $xs))))
                  (local.set $b0v (madd (local.get $s) (v128.load (i32.add (local.get $dp) (local.get $pix))) (local.get $b0v)))
                  (local.set $b1v (madd (local.get $s) (v128.load offset=16 (i32.add (local.get $dp) (local.get $pix))) (local.get $b1v)))
                  (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $xs2))))
                  (local.set $c0 (madd (local.get $s) (v128.load (i32.add (local.get $dp) (local.get $pix2))) (local.get $c0)))
                  (local.set $c1 (madd (local.get $s) (v128.load offset=16 (i32.add (local.get $dp) (local.get $pix2))) (local.get $c1)))
                  (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $xs3))))
                  (local.set $d0 (madd (local.get $s) (v128.load (i32.add (local.get $dp) (local.get $pix3))) (local.get $d0)))
                  (local.set $d1 (madd (local.get $s) (v128.load offset=16 (i32.add (local.get $dp) (local.get $pix3))) (local.get $d1)))
                  (local.set $xp (i32.add (local.get $xp) (i32.shl (local.get $xs) (i32.const 2))))
                  (local.set $dp (i32.add (local.get $dp) (i32.shl (local.get $pix) (i32.const 2))))
                  (local.set $ox (i32.add (local.get $ox) (i32.const 4)))
                  (br $ql)))
                (block $t_done (loop $tl
                  (br_if $t_done (i32.ge_u (local.get $ox) (local.get $ow)))
                  (local.set $s (v128.load32_splat (local.get $xp)))
                  (local.set $a0 (madd (local.get $s) (v128.load (local.get $dp)) (local.get $a0)))
                  (local.set $a1 (madd (local.get $s) (v128.load offset=16 (local.get $dp)) (local.get $a1)))
                  (local.set $xp (i32.add (local.get $xp) (local.get $xs)))
                  (local.set $dp (i32.add (local.get $dp) (local.get $pix)))
                  (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                  (br $tl)))
                (local.set $pp (i32.add (local.get $part)
                  (i32.shl (i32.add (i32.mul (local.get $ky) (local.get $fw)) (local.get $kx)) (i32.const 5))))
                (v128.store (local.get $pp) (f32x4.add (v128.load (local.get $pp))
                  (f32x4.add (f32x4.add (local.get $a0) (local.get $b0v)) (f32x4.add (local.get $c0) (local.get $d0)))))
                (v128.store offset=16 (local.get $pp) (f32x4.add (v128.load offset=16 (local.get $pp))
                  (f32x4.add (f32x4.add (local.get $a1) (local.get $b1v)) (f32x4.add (local.get $c1) (local.get $d1)))))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br $kxl)))))
          (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
          (br $kyl)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oyl)))
      ;; this image's partials into the float64 totals, two at a time (n is a multiple of 8)
      (local.set $i (i32.const 0))
      (block $f_done (loop $fl
        (br_if $f_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $pp (i32.add (local.get $totals) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $xp (i32.add (local.get $part) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $pp) (f64x2.add (v128.load (local.get $pp)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $xp)))))
        (i64.store (local.get $xp) (i64.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $fl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl)))))
