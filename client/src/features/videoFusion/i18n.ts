/** UI strings of video fusion and the cameras that see a site; merged by app/i18n/areas.ts. */
const en = {
  videoFusion: {
    title: 'Video fusion',
    hint: 'Select a pole to fuse its cameras, or drill into a case.',
    fuse: 'Fuse',
    fused: 'Fused',
    remove: 'Remove',
    allOff: 'All off',
    opacity: 'Opacity',
    poleCameras: 'Cameras on this pole',
    list: 'Fused cameras ({count}/{max})',
    testPattern: 'test pattern',
    siteCameras: 'Cameras that see the site',
    siteNone: 'No camera sees the site ({occluded} blocked by buildings)',
    siteLoading: 'Finding the cameras that see the site…',
    distance: '{value} m',
    watch: 'Live view',
    noOcclusion: 'No building footprints in this twin: occlusion not tested',
  },
};

const zhCN: typeof en = {
  videoFusion: {
    title: '视频融合',
    hint: '选择灯杆以融合其摄像机，或从案件定位进入。',
    fuse: '融合',
    fused: '已融合',
    remove: '移除',
    allOff: '全部关闭',
    opacity: '透明度',
    poleCameras: '本灯杆的摄像机',
    list: '已融合摄像机（{count}/{max}）',
    testPattern: '测试图',
    siteCameras: '可看到现场的摄像机',
    siteNone: '没有摄像机能看到现场（{occluded} 台被建筑遮挡）',
    siteLoading: '正在查找可看到现场的摄像机…',
    distance: '{value} 米',
    watch: '实时画面',
    noOcclusion: '本孪生无建筑轮廓：未做遮挡判断',
  },
};

export default { en, 'zh-CN': zhCN };
