/**
 * Cesium's core value classes imported one file each (the whole `cesium` bundle takes seconds to
 * load in Node), typed as the bundle types them.
 */
declare module '@cesium/engine/Source/Core/Cartesian2.js' {
  import { Cartesian2 } from 'cesium';
  export default Cartesian2;
}
declare module '@cesium/engine/Source/Core/Cartesian3.js' {
  import { Cartesian3 } from 'cesium';
  export default Cartesian3;
}
declare module '@cesium/engine/Source/Core/Cartesian4.js' {
  import { Cartesian4 } from 'cesium';
  export default Cartesian4;
}
declare module '@cesium/engine/Source/Core/Matrix2.js' {
  import { Matrix2 } from 'cesium';
  export default Matrix2;
}
declare module '@cesium/engine/Source/Core/Matrix3.js' {
  import { Matrix3 } from 'cesium';
  export default Matrix3;
}
declare module '@cesium/engine/Source/Core/Matrix4.js' {
  import { Matrix4 } from 'cesium';
  export default Matrix4;
}
declare module '@cesium/engine/Source/Scene/Expression.js' {
  import { Expression } from 'cesium';
  export default Expression;
}
