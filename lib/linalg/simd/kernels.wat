(module
  (memory (export "memory") 1)
  ;; sum a[i] * b[i], i < n; a, b byte offsets of f64 arrays
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $acc0 v128) (local $acc1 v128) (local $end4 i32) (local $end i32) (local $s f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done4
      (loop $loop4
        (br_if $done4 (i32.ge_u (local.get $a) (local.get $end4)))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $loop4)))
    (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $loop)))
    (local.get $s))
  ;; y[i] -= alpha * x[i], i < n
  (func (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $n i32)
    (local $al v128) (local $end2 i32) (local $end i32)
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done2
      (loop $loop2
        (br_if $done2 (i32.ge_u (local.get $y) (local.get $end2)))
        (v128.store (local.get $y) (f64x2.sub (v128.load (local.get $y)) (f64x2.mul (local.get $al) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $loop2)))
    (if (i32.lt_u (local.get $y) (local.get $end))
      (then (f64.store (local.get $y) (f64.sub (f64.load (local.get $y)) (f64.mul (local.get $alpha) (f64.load (local.get $x))))))))
;; plane rotation: t = c x[i] + s y[i]; y[i] = c y[i] - s x[i]; x[i] = t, i < n
  (func (export "rot") (param $c f64) (param $s f64) (param $x i32) (param $y i32) (param $n i32)
    (local $cv v128) (local $sv v128) (local $xv v128) (local $yv v128) (local $end2 i32) (local $end i32) (local $xs f64) (local $ys f64)
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done2
      (loop $loop2
        (br_if $done2 (i32.ge_u (local.get $x) (local.get $end2)))
        (local.set $xv (v128.load (local.get $x)))
        (local.set $yv (v128.load (local.get $y)))
        (v128.store (local.get $x) (f64x2.add (f64x2.mul (local.get $cv) (local.get $xv)) (f64x2.mul (local.get $sv) (local.get $yv))))
        (v128.store (local.get $y) (f64x2.sub (f64x2.mul (local.get $cv) (local.get $yv)) (f64x2.mul (local.get $sv) (local.get $xv))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $loop2)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (local.set $xs (f64.load (local.get $x)))
        (local.set $ys (f64.load (local.get $y)))
        (f64.store (local.get $x) (f64.add (f64.mul (local.get $c) (local.get $xs)) (f64.mul (local.get $s) (local.get $ys))))
        (f64.store (local.get $y) (f64.sub (f64.mul (local.get $c) (local.get $ys)) (f64.mul (local.get $s) (local.get $xs)))))))
)
