/** Cesium's orientation classes imported one file each, as test/client/cesiumCore.d.ts does for its value classes. */
declare module '@cesium/engine/Source/Core/HeadingPitchRoll.js' {
  import { HeadingPitchRoll } from 'cesium';
  export default HeadingPitchRoll;
}
declare module '@cesium/engine/Source/Core/Quaternion.js' {
  import { Quaternion } from 'cesium';
  export default Quaternion;
}
