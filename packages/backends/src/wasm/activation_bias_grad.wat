;; The gradient through a fused convolution's activation, and its bias gradient, in one pass:
;;   relu:    g = dy * step(y)          (step: 1 where y > 0, NaN where y is NaN, else 0)
;;   sigmoid: g = dy * (y * (1 - y))    (y is the activation's output)
;; for `pixels` rows of `c` channels, storing g and adding each row's g to acc[c]: the caller
;; sums acc over short runs of rows (in float64), so no channel sums millions of float32 terms.
;; Regenerate activation_bias_grad_wasm.ts after editing: pnpm --filter @convnets/core gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "activationBiasGrad")
    (param $dy i32) (param $y i32) (param $g i32) (param $acc i32) (param $pixels i32) (param $c i32) (param $sigmoid i32)
    (local $p i32) (local $j i32) (local $rowBytes i32) (local $vecBytes i32) (local $yv v128) (local $gv v128)
    (local $ys f32) (local $gs f32)
    (local.set $rowBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vecBytes (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $p) (local.get $pixels)))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $vecBytes)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $j))))
        (local.set $gv
          (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $j)))
            (if (result v128) (local.get $sigmoid)
              (then (f32x4.mul (local.get $yv) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $yv))))
              (else
                ;; NaN lanes keep y (NaN); others 1 where y > 0, else 0
                (v128.bitselect (local.get $yv)
                  (v128.and (f32x4.gt (local.get $yv) (f32x4.splat (f32.const 0))) (f32x4.splat (f32.const 1)))
                  (f32x4.ne (local.get $yv) (local.get $yv)))))))
        (v128.store (i32.add (local.get $g) (local.get $j)) (local.get $gv))
        (v128.store (i32.add (local.get $acc) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $j))) (local.get $gv)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
        (local.set $ys (f32.load (i32.add (local.get $y) (local.get $j))))
        (local.set $gs
          (f32.mul (f32.load (i32.add (local.get $dy) (local.get $j)))
            (if (result f32) (local.get $sigmoid)
              (then (f32.mul (local.get $ys) (f32.sub (f32.const 1) (local.get $ys))))
              (else (select (local.get $ys)
                (select (f32.const 1) (f32.const 0) (f32.gt (local.get $ys) (f32.const 0)))
                (f32.ne (local.get $ys) (local.get $ys)))))))
        (f32.store (i32.add (local.get $g) (local.get $j)) (local.get $gs))
        (f32.store (i32.add (local.get $acc) (local.get $j))
          (f32.add (f32.load (i32.add (local.get $acc) (local.get $j))) (local.get $gs)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail)))
      (local.set $dy (i32.add (local.get $dy) (local.get $rowBytes)))
      (local.set $y (i32.add (local.get $y) (local.get $rowBytes)))
      (local.set $g (i32.add (local.get $g) (local.get $rowBytes)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $rows)))))
